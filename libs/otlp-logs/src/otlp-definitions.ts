// The OTLP protobuf definitions as the OpenTelemetry JS project generated them (pbjs static module of
// opentelemetry-proto, in @opentelemetry/otlp-transformer up to 0.214.0; later releases replaced it with
// a hand-written writer that cannot decode a request). Pinned: the path is not a public entry point.
import otlpRoot from '@opentelemetry/otlp-transformer/build/src/generated/root.js';

/** An int64/fixed64 as protobufjs gives it: a Long (long.js is installed), or a number. */
export type Int64 = number | { toString(): string };

export interface AnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64 | null;
  doubleValue?: number | null;
  arrayValue?: { values?: AnyValue[] | null } | null;
  kvlistValue?: { values?: KeyValue[] | null } | null;
  bytesValue?: Uint8Array | null;
}

export interface KeyValue {
  key?: string | null;
  value?: AnyValue | null;
}

/** The LogRecord fields this service reads (opentelemetry/proto/logs/v1/logs.proto). */
export interface LogRecord {
  timeUnixNano?: Int64 | null;
  observedTimeUnixNano?: Int64 | null;
  body?: AnyValue | null;
  attributes?: KeyValue[] | null;
}

export interface Resource {
  attributes?: KeyValue[] | null;
}

interface MessageType<T> {
  decode(bytes: Uint8Array): T;
  fromObject(object: Record<string, unknown>): T;
}

interface ResponseType {
  encode(message: { partialSuccess?: { rejectedLogRecords: number; errorMessage: string } }): { finish(): Uint8Array };
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      logs: { v1: { LogRecord: MessageType<LogRecord> } };
      resource: { v1: { Resource: MessageType<Resource> } };
      collector: { logs: { v1: { ExportLogsServiceResponse: ResponseType } } };
    };
  };
}

const proto = (otlpRoot as unknown as GeneratedRoot).opentelemetry.proto;

export const LogRecordType = proto.logs.v1.LogRecord;
export const ResourceType = proto.resource.v1.Resource;
export const ExportLogsServiceResponseType = proto.collector.logs.v1.ExportLogsServiceResponse;
