import { Injectable } from '@nestjs/common';
import { ROLLUP_DIMENSIONS, RollupQueryRepository, SeriesRow } from '#libs/rollups';
import { QueryParams } from '../query-params.js';
import { FILTER_PARAMS, readFilter, readRange } from '../search-filter.js';
import { autoInterval, bucketCount, bucketStarts, INTERVAL_NAMES, INTERVALS, MAX_BUCKETS } from './intervals.js';

const ERROR_RATES_MAX_DAYS = 31;
const DEFAULT_MAX_GROUPS = 10;
const MAX_GROUPS = 50;

export interface ErrorRateBucket {
  start: string;
  total: number;
  status4xx: number;
  status5xx: number;
  byStatus: Record<string, number>;
  /** (4xx + 5xx) / total; null for an empty bucket. */
  errorRatio: number | null;
}

/** GET /v1/error-rates: request counts per bucket from the per-minute rollups, optionally grouped. */
@Injectable()
export class ErrorRatesService {
  constructor(private readonly rollups: RollupQueryRepository) {}

  async errorRates(query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', 'interval', 'groupBy', 'top', ...FILTER_PARAMS]);
    const { from, to } = readRange(params, { defaultHours: 24, maxDays: ERROR_RATES_MAX_DAYS, wholeMinutes: true });
    const requested = params.oneOf('interval', [...INTERVAL_NAMES, 'auto'] as const);
    const groupBy = params.oneOf('groupBy', ROLLUP_DIMENSIONS);
    const maxGroups = params.integer('top', 1, MAX_GROUPS) ?? DEFAULT_MAX_GROUPS;
    const filter = readFilter(params);
    const interval = !requested || requested === 'auto' ? autoInterval(from, to) : requested;
    const intervalSeconds = INTERVALS[interval];
    if (!params.hasError('from') && !params.hasError('to') && bucketCount(from, to, intervalSeconds) > MAX_BUCKETS) {
      params.fail('interval', `gives more than ${MAX_BUCKETS} buckets over this range: choose a larger interval or a shorter range`);
    }
    params.done();

    const rows = await this.rollups.series({ from, to, intervalSeconds, filter, groupBy, maxGroups });
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      interval,
      groupBy: groupBy ?? null,
      series: toSeries(rows, bucketStarts(from, to, intervalSeconds), groupBy !== undefined),
    };
  }
}

/** Zero-filled buckets per group, the largest groups first. */
function toSeries(rows: SeriesRow[], starts: Date[], grouped: boolean) {
  const groups = new Map<string | null, Map<number, Record<string, number>>>();
  if (!grouped) groups.set(null, new Map());
  for (const row of rows) {
    const buckets = groups.get(row.group) ?? groups.set(row.group, new Map()).get(row.group)!;
    const byStatus = buckets.get(row.start.getTime()) ?? buckets.set(row.start.getTime(), {}).get(row.start.getTime())!;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.count;
  }
  const series = [...groups].map(([group, buckets]) => {
    const points = starts.map((start) => toBucket(start, buckets.get(start.getTime()) ?? {}));
    return { group, total: points.reduce((sum, b) => sum + b.total, 0), buckets: points };
  });
  return series.sort((a, b) => b.total - a.total);
}

function toBucket(start: Date, byStatus: Record<string, number>): ErrorRateBucket {
  let total = 0;
  let status4xx = 0;
  let status5xx = 0;
  for (const [status, count] of Object.entries(byStatus)) {
    total += count;
    if (status.startsWith('4')) status4xx += count;
    if (status.startsWith('5')) status5xx += count;
  }
  return { start: start.toISOString(), total, status4xx, status5xx, byStatus, errorRatio: total > 0 ? (status4xx + status5xx) / total : null };
}
