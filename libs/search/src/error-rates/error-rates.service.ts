import { Inject, Injectable } from '@nestjs/common';
import { ROLLUP_DIMENSIONS, RollupQueryRepository } from '#libs/store';
import { JsonBytes } from './json-bytes.js';
import { expectedSeriesBytes, writeSeries } from './series-json.js';
import { QueryParams } from '../query-params.js';
import { SEARCH_CONFIG, type SearchConfig } from '../search.config.js';
import { FILTER_PARAMS, readFilter, readRange } from '../search-filter.js';
import { autoInterval, bucketCount, INTERVAL_NAMES, INTERVALS, MAX_BUCKETS } from './intervals.js';

const ERROR_RATES_MAX_DAYS = 31;
/** Grouping by API key reads the full rollup (a row per key and minute): a shorter range keeps it fast. */
const GROUP_BY_API_KEY_MAX_DAYS = 1;
const DEFAULT_MAX_GROUPS = 10;
const MAX_GROUPS = 50;

/**
 * GET /v1/error-rates: request counts per bucket from the per-minute rollups, optionally grouped. The answer
 * is JSON written as bytes (series-json.ts), one Buffer the controller sends as application/json.
 */
@Injectable()
export class ErrorRatesService {
  private readonly maxPoints: number;

  constructor(
    private readonly rollups: RollupQueryRepository,
    @Inject(SEARCH_CONFIG.token) config: SearchConfig,
  ) {
    this.maxPoints = config.errorRatesMaxPoints;
  }

  async errorRates(query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', 'interval', 'groupBy', 'top', ...FILTER_PARAMS]);
    const { from, to } = readRange(params, { defaultHours: 24, maxDays: ERROR_RATES_MAX_DAYS, wholeMinutes: true });
    const requested = params.oneOf('interval', [...INTERVAL_NAMES, 'auto'] as const);
    const groupBy = params.oneOf('groupBy', ROLLUP_DIMENSIONS);
    const maxGroups = params.integer('top', 1, MAX_GROUPS) ?? DEFAULT_MAX_GROUPS;
    const filter = readFilter(params);
    // The answer holds series × buckets cells (~100 bytes of JSON each): bounded by ERROR_RATES_MAX_POINTS.
    const seriesCount = groupBy === undefined ? 1 : maxGroups;
    const interval = !requested || requested === 'auto' ? autoInterval(from, to, Math.floor(this.maxPoints / seriesCount)) : requested;
    const intervalSeconds = INTERVALS[interval];
    const buckets = bucketCount(from, to, intervalSeconds);
    if (!params.hasError('from') && !params.hasError('to')) {
      if (buckets > MAX_BUCKETS) {
        params.fail('interval', `gives more than ${MAX_BUCKETS} buckets over this range: choose a larger interval or a shorter range`);
      } else if (buckets * seriesCount > this.maxPoints) {
        failTooManyPoints(params, { from, to, buckets, seriesCount, grouped: groupBy !== undefined, maxPoints: this.maxPoints });
      }
    }
    const perKeyRows = groupBy === 'apiKeyId' && filter.apiKeyId === undefined;
    if (perKeyRows && !params.hasError('to') && to.getTime() - from.getTime() > GROUP_BY_API_KEY_MAX_DAYS * 86_400_000) {
      params.fail('groupBy', `apiKeyId grouping covers at most ${GROUP_BY_API_KEY_MAX_DAYS} day: shorten the range or filter by apiKeyId`);
    }
    params.done();

    const rows = await this.rollups.series({ from, to, intervalSeconds, filter, groupBy, maxGroups });
    const head = JSON.stringify({ from: from.toISOString(), to: to.toISOString(), interval, groupBy: groupBy ?? null });
    const out = new JsonBytes(expectedSeriesBytes(buckets * seriesCount, rows.length));
    out.text(`${head.slice(0, -1)},"series":`);
    writeSeries(out, rows, from, to, intervalSeconds, groupBy !== undefined);
    out.text('}');
    return out.done();
  }
}

/** The 422 for an answer over ERROR_RATES_MAX_POINTS cells, naming each way to narrow it with numbers. */
function failTooManyPoints(
  params: QueryParams,
  a: { from: Date; to: Date; buckets: number; seriesCount: number; grouped: boolean; maxPoints: number },
): void {
  const fitting = INTERVAL_NAMES.find((name) => bucketCount(a.from, a.to, INTERVALS[name]) * a.seriesCount <= a.maxPoints);
  const shorter = Math.floor(a.maxPoints / a.seriesCount);
  const size =
    `${a.seriesCount} series × ${a.buckets} buckets = ${a.seriesCount * a.buckets} points, ` +
    `more than the ${a.maxPoints} one answer may hold`;
  params.fail(
    'interval',
    `${size}: choose a larger interval${fitting ? ` (${fitting} fits)` : ''}, ` +
      `or a range of at most ${shorter} buckets${a.grouped ? ', or a smaller top' : ''}`,
  );
  if (a.grouped)
    params.fail('top', `${size}: at most ${Math.max(1, Math.floor(a.maxPoints / a.buckets))} series fit at this interval and range`);
}
