import type { AccessLogRecord } from '#libs/access-log';

/**
 * Writes derived from the rows a batch really adds (the rollups), which storeBatch runs in the
 * batch's own transaction so they commit with those rows or not at all. They read one relation,
 * `derived_input`, which comes from either write path:
 * - a batch stored whole by COPY (every record new): `inputFromSummary` over $1, the JSON that
 *   `summarise` made of the batch in the worker (e.g. per-minute groups: a few hundred rows to
 *   aggregate instead of a thousand, the cheaper half of the rollups' cost);
 * - a batch inserted with ON CONFLICT DO NOTHING: `inputFromInserted` over `inserted`, the rows
 *   that insert's RETURNING gave back (request_id, sent_at, method, route, status, duration_ms,
 *   error_code, retry_after, api_key_id), so records already stored count nothing.
 * Both must yield the same relation for the same new rows.
 */
export interface DerivedWrites {
  /** Data-modifying statements (INSERT … SELECT … FROM derived_input …), run in this order. */
  readonly statements: readonly string[];
  /** SELECT producing derived_input from `inserted`. */
  readonly inputFromInserted: string;
  /** SELECT producing derived_input from $1, the JSON text `summarise` returns. */
  readonly inputFromSummary: string;
  summarise(records: readonly AccessLogRecord[]): string;
}
