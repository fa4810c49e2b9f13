import { Injectable } from '@nestjs/common';
import { type RequestFilter, RequestSearchRepository, RollupQueryRepository, requestSummaryView } from '#libs/store';
import { QueryParams } from '../query-params.js';
import { FILTER_PARAMS, readFilter, readRange, type TimeRange } from '../search-filter.js';
import { encodeCursor, readCursor } from './search-cursor.js';

export const SEARCH_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 500;
const SEARCH_MAX_DAYS = 92;
const MINUTE_MS = 60_000;

/** GET /v1/requests: stored requests matching filters, newest first, a page at a time. */
@Injectable()
export class RequestSearchService {
  constructor(
    private readonly repository: RequestSearchRepository,
    private readonly rollups: RollupQueryRepository,
  ) {}

  async search(query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', ...FILTER_PARAMS, 'limit', 'cursor']);
    const range = readRange(params, { defaultHours: 24, maxDays: SEARCH_MAX_DAYS, wholeMinutes: false });
    const filter = readFilter(params);
    const limit = params.integer('limit', 1, SEARCH_MAX_LIMIT) ?? SEARCH_DEFAULT_LIMIT;
    const after = readCursor(params);
    params.done();
    const window = await this.rawWindow(range, filter);
    // One row more than asked tells whether another page exists without a count(*).
    const rows = window ? await this.repository.page({ ...window, filter, after, limit: limit + 1 }) : [];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      items: page.map(requestSummaryView),
      nextCursor: rows.length > limit && last ? encodeCursor({ sentAt: last.sentAt, requestId: last.requestId }) : null,
    };
  }

  /**
   * Where the raw rows can match. Method and status class have no index on the raw table (too few
   * values to be worth one on every write), so for them the rollups (written in the rows' own
   * transaction) say first which minutes hold a match: none → no raw read at all; else the raw scan
   * is cut to [first matching minute, last + 1 min).
   */
  private async rawWindow(range: TimeRange, filter: RequestFilter): Promise<TimeRange | null> {
    if (filter.method === undefined && !filter.statusClasses?.length) return range;
    const minutes = await this.rollups.matchingMinutes(range.from, range.to, filter);
    if (!minutes) return null;
    const from = new Date(Math.max(range.from.getTime(), minutes.first.getTime()));
    const to = new Date(Math.min(range.to.getTime(), minutes.last.getTime() + MINUTE_MS));
    return { from, to };
  }
}
