import { type AccessLogRecord, type FieldErrors, type ValidationLimits, validateRecord } from '#libs/access-log';
import type { LogMapper } from '#libs/log-formats';

/** What one line of the file gives: a valid record, or why not (undefined for a blank line). */
export type LineOutcome = { ok: true; record: AccessLogRecord } | { ok: false; details: FieldErrors } | undefined;

/**
 * One JSON line through the source's preset (absent: the line is a record already) and the ingest API's
 * own validation, so a line that cannot become a record is reported here, with its reason, and never
 * travels. The same preset and validation as `POST /v1/logs?format=…` (libs/log-formats, libs/access-log).
 */
export function lineRecord(text: string, mapper: LogMapper | undefined, limits: ValidationLimits): LineOutcome {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, details: { line: [`malformed JSON: ${(err as Error).message}`] } };
  }
  const mapped = mapper ? mapper(value) : { ok: true as const, candidate: value };
  if (!mapped.ok) return mapped;
  return validateRecord(mapped.candidate, limits);
}
