import type { FieldErrors } from '#libs/access-log';

/**
 * A source's log line turned into a record candidate in the service's field names, or the reasons it
 * could not be. A candidate is not yet valid: the ingest path validates it like any record.
 */
export type MappedRecord = { ok: true; candidate: Record<string, unknown> } | { ok: false; details: FieldErrors };

/** One preset: a pure function of one parsed JSON value, no I/O. */
export type LogMapper = (value: unknown) => MappedRecord;

/** The candidate's fields, filled by a preset; `undefined` means absent (validation decides if that is allowed). */
export interface CandidateFields {
  requestId?: unknown;
  timestamp?: unknown;
  method?: unknown;
  path?: unknown;
  route?: unknown;
  status?: unknown;
  durationMs?: unknown;
  error?: unknown;
  message?: unknown;
  details?: unknown;
  retryAfter?: unknown;
  apiKeyId?: unknown;
  clientIp?: unknown;
  userAgent?: unknown;
}

/** Collects a preset's per-field problems, then answers with the candidate (absent fields dropped) or them. */
export class CandidateBuilder {
  readonly errors: FieldErrors = {};

  fail(field: keyof CandidateFields | 'record', message: string): undefined {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  result(fields: CandidateFields): MappedRecord {
    if (Object.keys(this.errors).length > 0) return { ok: false, details: this.errors };
    const candidate: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) candidate[name] = value;
    return { ok: true, candidate };
  }
}

/**
 * A preset from the fields it reads off one line: a value that is not a JSON object is rejected as
 * `record: must be a JSON object (<what>)`, and the fields' conversion errors are collected in `out`.
 */
export function lineMapper(what: string, fields: (line: Record<string, unknown>, out: CandidateBuilder) => CandidateFields): LogMapper {
  return (value) => {
    const out = new CandidateBuilder();
    const line = objectOf(value);
    if (line === undefined) return (out.fail('record', `must be a JSON object (${what})`), out.result({}));
    return out.result(fields(line, out));
  };
}

/** The value as a JSON object, or undefined. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
