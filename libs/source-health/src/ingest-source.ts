import type { FieldErrors } from '#libs/access-log';

/**
 * Where ingested lines come from: the entry point and the format it reads, named by our code, never by
 * the client, so a hostile sender cannot add a value (one label value and one Redis list each).
 * `record`: POST /v1/logs with our own JSON record; `nginx`, `envoy`, `kong`, `generic`: the same
 * endpoint with `?format=`; `otlp`: the OTLP/HTTP logs endpoint; `shipper`: the log shipper's queue
 * sink (it enqueues directly, never through the api: it reports to the same store, not to the api's
 * metrics). docs/metrics-and-alerting.md#ingest-health-per-source.
 */
export const INGEST_SOURCES = ['record', 'nginx', 'envoy', 'kong', 'generic', 'otlp', 'shipper'] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];

/** Why a line was rejected, as the metric's `reason` says it: its first invalid field, `malformed_json` for a line that is not JSON. */
export function rejectionReason(firstField: string): string {
  return firstField === 'line' ? 'malformed_json' : firstField;
}

/** The first invalid field of a rejection (alphabetically, as the producer counts it). */
export function firstField(details: FieldErrors): string {
  return Object.keys(details).sort()[0] ?? 'record';
}
