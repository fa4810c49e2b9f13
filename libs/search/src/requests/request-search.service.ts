import { Injectable } from '@nestjs/common';
import { requestSummaryView } from '#libs/request-store';
import { QueryParams } from '../query-params.js';
import { FILTER_PARAMS, readFilter, readRange } from '../search-filter.js';
import { RequestSearchRepository } from './request-search.repository.js';
import { encodeCursor, readCursor } from './search-cursor.js';

export const SEARCH_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 500;
const SEARCH_MAX_DAYS = 92;

/** GET /v1/requests: stored requests matching filters, newest first, a page at a time. */
@Injectable()
export class RequestSearchService {
  constructor(private readonly repository: RequestSearchRepository) {}

  async search(query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', ...FILTER_PARAMS, 'limit', 'cursor']);
    const range = readRange(params, { defaultHours: 24, maxDays: SEARCH_MAX_DAYS, wholeMinutes: false });
    const filter = readFilter(params);
    const limit = params.integer('limit', 1, SEARCH_MAX_LIMIT) ?? SEARCH_DEFAULT_LIMIT;
    const after = readCursor(params);
    params.done();
    // One row more than asked tells whether another page exists without a count(*).
    const rows = await this.repository.page({ ...range, filter, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      items: page.map(requestSummaryView),
      nextCursor: rows.length > limit && last ? encodeCursor({ sentAt: last.sentAt, requestId: last.requestId }) : null,
    };
  }
}
