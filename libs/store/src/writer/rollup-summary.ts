import { type AccessLogRecord, CANONICAL_TIMESTAMP } from '#libs/access-log';
import { mapUnder } from './map-under.js';

/** One row of ROLLUP_INPUT_FROM_SUMMARY: the batch's records of one minute and one cell of the widest rollup. */
interface RollupGroup {
  minute: string;
  status: number;
  method: string;
  route: string;
  error_code: string | null;
  api_key_id: string | null;
  count: number;
  duration_ms_sum: number;
  duration_ms_max: number;
}

/**
 * A batch stored whole, summed per minute × status × method × route × error code × API key (the
 * widest rollup's cell; the narrower rollups sum these again in SQL), as JSON for
 * ROLLUP_INPUT_FROM_SUMMARY. The same partial counts ROLLUP_INPUT_FROM_INSERTED gives for the same
 * rows, computed here so Postgres aggregates a few hundred groups instead of every row.
 */
export function summariseForRollups(records: readonly AccessLogRecord[]): string {
  // Found level by level (route, minute, status, method, error code, API key), which hashes a few
  // short strings per record; one joined key per record cost twice as much CPU (built, then hashed).
  const byRoute = new Map<string, Map<string, Map<number, Map<string, Map<string | null, Map<string | null, RollupGroup>>>>>>();
  const groups: RollupGroup[] = [];
  for (const r of records) {
    const minute = utcMinute(r.timestamp);
    const byKey = mapUnder(mapUnder(mapUnder(mapUnder(byRoute, r.route), minute), r.status), r.method);
    const byApiKey = mapUnder(byKey, r.error);
    const group = byApiKey.get(r.apiKeyId);
    if (group) {
      group.count++;
      group.duration_ms_sum += r.durationMs;
      if (r.durationMs > group.duration_ms_max) group.duration_ms_max = r.durationMs;
    } else {
      const created: RollupGroup = {
        minute,
        status: r.status,
        method: r.method,
        route: r.route,
        error_code: r.error,
        api_key_id: r.apiKeyId,
        count: 1,
        duration_ms_sum: r.durationMs,
        duration_ms_max: r.durationMs,
      };
      byApiKey.set(r.apiKeyId, created);
      groups.push(created);
    }
  }
  return JSON.stringify(groups);
}

/** The UTC minute a timestamp falls in, as `YYYY-MM-DDTHH:MM:00Z` (what date_trunc('minute', …, 'UTC') gives). */
export function utcMinute(timestamp: string): string {
  // Validation normalises timestamps to toISOString()'s form; anything else is computed the long way.
  if (CANONICAL_TIMESTAMP.test(timestamp)) return `${timestamp.slice(0, 16)}:00Z`;
  return `${new Date(Math.floor(Date.parse(timestamp) / 60_000) * 60_000).toISOString().slice(0, 16)}:00Z`;
}
