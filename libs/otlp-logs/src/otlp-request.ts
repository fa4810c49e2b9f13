import { UnsupportedFormat } from '#libs/errors';
import type { Candidate, TimeSlicer } from '#libs/queue';
import { nanosText, plainObject, plainValue } from './any-value.js';
import { jsonEnvelope } from './json-envelope.js';
import { type LogRecord, LogRecordType, type Resource } from './otlp-definitions.js';
import { decodeLogRecord, protobufEnvelope } from './protobuf-envelope.js';

/** The two OTLP/HTTP encodings; the answer is written in the request's. */
export type OtlpEncoding = 'protobuf' | 'json';

const MEDIA_TYPES: Record<string, OtlpEncoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

/** The encoding a Content-Type names, checked before the body is read; another type: UnsupportedFormat (415). */
export function otlpEncoding(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const encoding = MEDIA_TYPES[mediaType];
  if (encoding === undefined) {
    throw new UnsupportedFormat(`Content-Type "${mediaType}" is not an OTLP/HTTP encoding.`, { supported: Object.keys(MEDIA_TYPES) });
  }
  return encoding;
}

/**
 * An OTLP log record as a plain JSON value, the line `mapOtlp` (libs/log-formats) reads: its resource's
 * attributes overlaid with its own, its times as decimal strings of nanoseconds, its body as a value.
 */
export interface OtlpLine {
  attributes: Record<string, unknown>;
  /** Nanoseconds since the epoch as a decimal string. */
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  body?: unknown;
}

export interface OtlpLogLines {
  /** Log records in the request (an exporter may send none). */
  count: number;
  candidates: Iterable<Candidate>;
}

/**
 * An ExportLogsServiceRequest's log records as candidates, in request order (resources, then scopes,
 * then records): the envelopes are read and the records counted at once (400 undecodable, 413 over
 * `maxRecords`), each record is decoded as the pipeline iterates. A record the generated decoder
 * refuses is rejected on its own (`record`), like a malformed NDJSON line.
 */
export async function otlpLogLines(
  body: Uint8Array,
  encoding: OtlpEncoding,
  maxRecords: number,
  slicer: TimeSlicer,
): Promise<OtlpLogLines> {
  if (encoding === 'json') {
    const { resources, records } = jsonEnvelope(body, maxRecords);
    const recordAt = (index: number): [LogRecord, number] => [
      LogRecordType.fromObject(records[index].raw as Record<string, unknown>),
      records[index].resource,
    ];
    return { count: records.length, candidates: lines(resources, records.length, recordAt) };
  }
  const { resources, spans } = await protobufEnvelope(body, maxRecords, slicer);
  return {
    count: spans.length,
    candidates: lines(resources, spans.length, (index) => [decodeLogRecord(body, spans[index]), spans[index].resource]),
  };
}

function* lines(resources: Resource[], count: number, recordAt: (index: number) => [LogRecord, number]): Generator<Candidate> {
  const resourceAttributes = resources.map((resource) => plainObject(resource.attributes));
  for (let index = 0; index < count; index++) {
    let line: OtlpLine;
    try {
      const [record, resource] = recordAt(index);
      line = {
        attributes: plainObject(
          record.attributes,
          Object.assign(Object.create(null) as Record<string, unknown>, resourceAttributes[resource]),
        ),
        timeUnixNano: nanos(record.timeUnixNano),
        observedTimeUnixNano: nanos(record.observedTimeUnixNano),
        body: plainValue(record.body),
      };
    } catch (err) {
      yield { index, invalid: { record: [`is not an OTLP LogRecord: ${(err as Error).message}`] } };
      continue;
    }
    yield { index, value: line };
  }
}

function nanos(value: LogRecord['timeUnixNano']): string | undefined {
  return value === null || value === undefined ? undefined : nanosText(value);
}
