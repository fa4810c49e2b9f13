import { Injectable } from '@nestjs/common';
import { ReadPool } from '#libs/database';
import {
  groupExpression,
  type RequestFilter,
  rollupTableFor,
  type RollupDimension,
  rollupWhere,
  STATUS_ROLLUP,
  TOTALS_CELLS,
  totalsCanAnswer,
} from './request-filter.js';
import { totalsMinuteCounts, totalsPerMinute } from './totals-reads.js';

export interface SeriesQuery {
  from: Date;
  to: Date;
  /** Bucket width; buckets start at multiples of it since the Unix epoch (so 1d buckets are UTC days). */
  intervalSeconds: number;
  filter: RequestFilter;
  groupBy?: RollupDimension;
  /** With groupBy: keep only the groups with the largest totals over the range. */
  maxGroups: number;
}

/** One bucket of one group; the counts as the decimal text the answer writes. */
export interface SeriesRow {
  /** The bucket's start, epoch milliseconds (as text: a bigint). */
  start: string;
  group: string | null;
  total: string;
  status4xx: string;
  status5xx: string;
  /** Count per status code, as a JSON object in status order. */
  byStatusJson: string;
}

/** Reads of the per-minute rollups: bucketed counts and the minutes holding a filter's requests. Never scans raw rows. */
@Injectable()
export class RollupQueryRepository {
  constructor(private readonly pool: ReadPool) {}

  /** Counts per bucket and group (per status inside) in [from, to), from the narrowest rollup that can answer. */
  async series(query: SeriesQuery): Promise<SeriesRow[]> {
    const totals = totalsCanAnswer(query.filter, query.groupBy);
    if (totals && query.intervalSeconds === 60 && !query.filter.statuses?.length && !query.filter.statusClasses?.length) {
      return totalsPerMinute(this.pool, query.from, query.to);
    }
    const table = totals ? TOTALS_CELLS : rollupTableFor(query.filter, query.groupBy);
    const where = rollupWhere(query.from, query.to, query.filter);
    const parameters = [...where.parameters];
    const conditions = where.conditions.join(' AND ');
    const grp = groupExpression(query.groupBy);
    // The (minute, status) cells of the range. The totals' cells, like the status rollup's rows, are one
    // per minute and status, so at 1m they are the cells already: no GROUP BY (half of that query's
    // time). Else buckets aligned on the epoch (date_bin), so 1h and 1d buckets are UTC hours and days.
    let cells = `SELECT bucket AS start, ${grp} AS grp, status, count AS n FROM ${table} WHERE ${conditions}`;
    if (query.intervalSeconds !== 60 || !(totals || table === STATUS_ROLLUP)) {
      const bucketStart = `date_bin(make_interval(secs => $${parameters.push(query.intervalSeconds)}::int), bucket, 'epoch'::timestamptz)`;
      cells = `SELECT ${bucketStart} AS start, ${grp} AS grp, status, sum(count)::bigint AS n
               FROM ${table} WHERE ${conditions} GROUP BY 1, 2, 3`;
    }
    let sql = cells;
    if (query.groupBy) {
      // Aggregate to buckets first (few rows), then keep the groups with the largest totals.
      sql = `WITH buckets AS MATERIALIZED (${cells}), top_groups AS (
               SELECT grp FROM buckets GROUP BY grp ORDER BY sum(n) DESC, grp NULLS LAST LIMIT $${parameters.push(query.maxGroups)}::int
             )
             SELECT b.start, b.grp, b.status, b.n FROM buckets b JOIN top_groups t ON t.grp IS NOT DISTINCT FROM b.grp`;
    }
    // One row per (bucket, group), its counts as text and its statuses as JSON text in status order
    // (as JSON.stringify writes integer keys): a day of 1m buckets is 1440 rows whose text the answer
    // passes on as is, rather than 1440 JSON objects parsed and serialised again.
    const { rows } = await this.pool.query<SeriesRow>(
      // Epoch milliseconds parse far faster than timestamp text; converted after aggregating, once per bucket.
      `SELECT (extract(epoch FROM start) * 1000)::bigint AS start, grp AS "group", sum(n)::text AS total,
              coalesce(sum(n) FILTER (WHERE status / 100 = 4), 0)::text AS "status4xx",
              coalesce(sum(n) FILTER (WHERE status / 100 = 5), 0)::text AS "status5xx",
              '{' || string_agg('"' || status || '":' || n, ',' ORDER BY status) || '}' AS "byStatusJson"
       FROM (${sql}) per_status GROUP BY per_status.start, grp`,
      parameters,
    );
    return rows;
  }

  /**
   * Requests per minute of [from, to) for each status filtered on (`from` a whole minute): one row per
   * status, its minutes as "minute,count,…" text, which splits far cheaper than pg parses a row per minute.
   */
  async minuteCounts(from: Date, to: Date, filter: RequestFilter & { statuses: number[] }): Promise<Map<number, number[]>> {
    if (totalsCanAnswer(filter) && !filter.statusClasses?.length) return totalsMinuteCounts(this.pool, from, to, filter.statuses);
    const where = rollupWhere(from, to, filter);
    const minutes = Math.ceil((to.getTime() - from.getTime()) / 60_000);
    // The route and full rollups' cells summed into (minute, status) cells.
    const { rows } = await this.pool.query<{ status: number; cells: string }>(
      `SELECT status, string_agg(minute || ',' || n, ',') AS cells FROM (
         SELECT status, (date_part('epoch', bucket)::bigint - $${where.parameters.length + 1}::bigint) / 60 AS minute, sum(count) AS n
         FROM ${rollupTableFor(filter)} WHERE ${where.conditions.join(' AND ')} GROUP BY bucket, status
       ) per_minute GROUP BY status`,
      [...where.parameters, from.getTime() / 1000],
    );
    const counts = new Map(filter.statuses.map((status) => [status, new Array<number>(minutes).fill(0)]));
    for (const { status, cells } of rows) {
      const perMinute = counts.get(status)!;
      const values = cells.split(',');
      for (let i = 0; i < values.length; i += 2) perMinute[Number(values[i])] = Number(values[i + 1]);
    }
    return counts;
  }

  /**
   * The first and last minute in [from, to) holding any request matching the filter (null when none
   * does), from the narrowest rollup holding its dimensions: lets a raw search skip, or shorten, a
   * scan the raw table's indexes cannot serve (method, status class). `from` is floored to its minute.
   */
  async matchingMinutes(from: Date, to: Date, filter: RequestFilter): Promise<{ first: Date; last: Date } | null> {
    const where = rollupWhere(new Date(Math.floor(from.getTime() / 60_000) * 60_000), to, filter);
    const { rows } = await this.pool.query<{ first: Date | null; last: Date | null }>(
      `SELECT min(bucket) AS first, max(bucket) AS last FROM ${rollupTableFor(filter)} WHERE ${where.conditions.join(' AND ')}`,
      where.parameters,
    );
    const { first, last } = rows[0];
    return first && last ? { first, last } : null;
  }
}
