import protobuf from 'protobufjs/minimal.js';
import { DomainError, MalformedInput } from '#libs/errors';
import type { TimeSlicer } from '#libs/queue';
import { type LogRecord, LogRecordType, type Resource, ResourceType } from './otlp-definitions.js';
import { tooManyRecords } from './record-count.js';

/**
 * Field numbers of the three envelopes around the log records (opentelemetry/proto/collector/logs/v1
 * and logs/v1): ExportLogsServiceRequest.resource_logs = 1, ResourceLogs.resource = 1 and
 * .scope_logs = 2, ScopeLogs.log_records = 2. protobuf-envelope.spec.ts checks them against the
 * generated encoder.
 */
const RESOURCE_LOGS = 1;
const RESOURCE = 1;
const SCOPE_LOGS = 2;
const LOG_RECORDS = 2;
const LENGTH_DELIMITED = 2;

/** Where one log record's bytes are, and the index of its resource. */
export interface RecordSpan {
  start: number;
  end: number;
  resource: number;
}

export interface ProtobufRequest {
  resources: Resource[];
  spans: RecordSpan[];
}

/**
 * The envelopes of an ExportLogsServiceRequest stepped through with protobufjs's Reader, so that log
 * records are counted (over `maxRecords`: 413, before any is built) and then decoded one at a time by
 * the generated LogRecord decoder as the ingest pipeline asks for them: a 10 MiB body of tiny records
 * would otherwise be ~2.5M objects built in one turn of the event loop. Resources (few) are decoded
 * here by the generated decoder; scopes and unknown fields are skipped. Bytes that do not parse as
 * protobuf: MalformedInput (400).
 */
export async function protobufEnvelope(body: Uint8Array, maxRecords: number, slicer: TimeSlicer): Promise<ProtobufRequest> {
  const request: ProtobufRequest = { resources: [], spans: [] };
  try {
    const reader = protobuf.Reader.create(body);
    for (const resourceLogs of fields(reader, reader.len, RESOURCE_LOGS)) {
      const resource = request.resources.push({}) - 1;
      for (const field of fields(reader, resourceLogs.end, RESOURCE, SCOPE_LOGS)) {
        if (field.number === RESOURCE) {
          // A repeated singular field: the last one wins, as in the generated decoder.
          request.resources[resource] = ResourceType.decode(body.subarray(field.start, field.end));
          reader.pos = field.end;
          continue;
        }
        for (const record of fields(reader, field.end, LOG_RECORDS)) {
          if (request.spans.length === maxRecords) throw tooManyRecords(maxRecords);
          request.spans.push({ start: record.start, end: record.end, resource });
          reader.pos = record.end;
          if (slicer.due()) await slicer.yield();
        }
      }
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new MalformedInput('The request body is not a protobuf ExportLogsServiceRequest.', { body: [(err as Error).message] });
  }
  return request;
}

/** One log record decoded by the generated decoder. */
export function decodeLogRecord(body: Uint8Array, span: RecordSpan): LogRecord {
  return LogRecordType.decode(body.subarray(span.start, span.end));
}

interface Field {
  number: number;
  start: number;
  end: number;
}

/**
 * The length-delimited fields numbered `wanted` from the reader's position up to `end`, in order; the
 * caller moves `reader.pos` past each one it does not step into. Other fields are skipped.
 */
function* fields(reader: protobuf.Reader, end: number, ...wanted: number[]): Generator<Field> {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (!wanted.includes(number) || wireType !== LENGTH_DELIMITED) {
      reader.skipType(wireType);
      continue;
    }
    const length = reader.uint32();
    const start = reader.pos;
    if (start + length > end) throw new RangeError(`field ${number} runs past its message (offset ${start})`);
    yield { number, start, end: start + length };
  }
  if (reader.pos !== end) throw new RangeError(`a field runs past its message (offset ${reader.pos})`);
}
