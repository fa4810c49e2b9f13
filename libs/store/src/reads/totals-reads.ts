import type { ReadPool } from '#libs/database';
import { TOTALS_ROLLUP } from './request-filter.js';
import type { SeriesRow } from './rollup-query.repository.js';

// Reads of request_totals_minute, one row per minute: for a day 1,440 rows instead of the status
// rollup's ~17,000 (minute, status) cells. date_part('epoch') is a float8, far cheaper than extract's
// numeric, and exact for whole minutes.

/**
 * The unfiltered series at 1m: the totals' rows are its buckets and their `byStatus` text is stored in
 * status order, so nothing is aggregated or sorted. Read as ONE text, a bucket per line of
 * "start,total,4xx,5xx,byStatus" (byStatus last: it holds commas, never a newline), cut here into
 * rows: pg parsing 1,440 rows of six columns was a third of the api's CPU for a day.
 */
export async function totalsPerMinute(pool: ReadPool, from: Date, to: Date): Promise<SeriesRow[]> {
  const { rows } = await pool.query<{ buckets: string | null }>(
    `SELECT string_agg((date_part('epoch', bucket) * 1000)::bigint || ',' || count || ',' || status_4xx || ',' || status_5xx
                       || ',' || by_status, E'\\n') AS buckets
     FROM ${TOTALS_ROLLUP} WHERE bucket >= $1 AND bucket < $2`,
    [from, to],
  );
  const text = rows[0].buckets;
  if (text === null) return [];
  const series: SeriesRow[] = [];
  for (let at = 0; at < text.length;) {
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline;
    const total = text.indexOf(',', at) + 1;
    const status4xx = text.indexOf(',', total) + 1;
    const status5xx = text.indexOf(',', status4xx) + 1;
    const byStatus = text.indexOf(',', status5xx) + 1;
    series.push({
      start: text.slice(at, total - 1),
      group: null,
      total: text.slice(total, status4xx - 1),
      status4xx: text.slice(status4xx, status5xx - 1),
      status5xx: text.slice(status5xx, byStatus - 1),
      byStatusJson: text.slice(byStatus, end),
    });
    at = end + 1;
  }
  return series;
}

/**
 * Requests per minute of [from, to) (`from` a whole minute) for each of `statuses`, every minute of the
 * range present (zeros where none): one text of "minute,count₁,…,countₙ," per stored minute, which
 * splits far cheaper than pg parses a row per minute. Each status is looked up in the minute's arrays.
 */
export async function totalsMinuteCounts(pool: ReadPool, from: Date, to: Date, statuses: number[]): Promise<Map<number, number[]>> {
  const countOf = statuses.map((_, i) => `coalesce(counts[array_position(statuses, $${i + 4}::smallint)], 0)`).join(` || ',' || `);
  const { rows } = await pool.query<{ cells: string | null }>(
    `SELECT string_agg((date_part('epoch', bucket)::bigint - $3::bigint) / 60 || ',' || ${countOf}, ',') AS cells
     FROM ${TOTALS_ROLLUP} WHERE bucket >= $1 AND bucket < $2`,
    [from, to, from.getTime() / 1000, ...statuses],
  );
  const minutes = Math.ceil((to.getTime() - from.getTime()) / 60_000);
  const perStatus = statuses.map(() => new Array<number>(minutes).fill(0));
  const values = rows[0].cells?.split(',') ?? [];
  const stride = statuses.length + 1;
  for (let i = 0; i < values.length; i += stride) {
    const minute = Number(values[i]);
    for (let s = 0; s < statuses.length; s++) perStatus[s][minute] = Number(values[i + 1 + s]);
  }
  return new Map(statuses.map((status, s) => [status, perStatus[s]]));
}
