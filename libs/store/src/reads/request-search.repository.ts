import { Injectable } from '@nestjs/common';
import { ReadPool } from '#libs/database';
import type { QueryConfig } from 'pg';
import { filterWhere, type RequestFilter } from './request-filter.js';
import { REQUEST_SUMMARY_COLUMNS, type RequestSummaryRow } from './request-rows.js';

export interface SearchQuery {
  from: Date;
  to: Date;
  filter: RequestFilter;
  /** The last row of the previous page: this page starts strictly after it (newest first). */
  after?: { sentAt: Date; requestId: string };
  limit: number;
}

/** Raw-row reads of the search API over request_logs: one page, and the few rows spikes cite. */
@Injectable()
export class RequestSearchRepository {
  constructor(private readonly pool: ReadPool) {}

  async page(query: SearchQuery): Promise<RequestSummaryRow[]> {
    return (await this.pool.query<RequestSummaryRow>(searchPageQuery(query))).rows;
  }
}

/**
 * One page, newest first, by keyset: (sent_at, request_id) strictly below the cursor, so rows
 * sharing a sent_at are neither skipped nor repeated across pages. `sent_at <= cursor` is
 * redundant with the row comparison but lets the planner bound the sent_at index scan. Status,
 * route, error code and API key each have a (column, sent_at) index on the raw table, so a filter
 * matching nothing costs an index probe per daily partition, not a read of every row.
 */
export function searchPageQuery(query: SearchQuery): QueryConfig {
  const where = filterWhere('sent_at', query.from, query.to, query.filter);
  if (query.after) {
    const n = where.parameters.push(query.after.sentAt, query.after.requestId);
    where.conditions.push(`sent_at <= $${n - 1}`, `(sent_at, request_id) < ($${n - 1}, $${n})`);
  }
  return {
    text: `SELECT ${REQUEST_SUMMARY_COLUMNS}
       FROM request_logs WHERE ${where.conditions.join(' AND ')}
       ORDER BY sent_at DESC, request_id DESC LIMIT $${where.parameters.length + 1}`,
    values: [...where.parameters, query.limit],
  };
}
