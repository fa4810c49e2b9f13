import { Injectable } from '@nestjs/common';
import { ReadPool } from '#libs/database';
import { groupExpression, type RequestFilter, rollupTableFor, rollupWhere } from './request-filter.js';

export interface Contributor {
  key: string | null;
  count: number;
}

export interface EarlyRetryRow {
  apiKeyId: string;
  /** Requests the key sent during the spike. */
  requests: number;
  /** Of those, answered with the spike's status. */
  rejected: number;
  /** Requests sent sooner after a rejection than its Retry-After allowed. */
  earlyRetries: number;
}

export interface SpikeDrivers {
  topRoutes: Contributor[];
  topApiKeys: Contributor[];
  /** One row per top API key that sent anything in the window (any order). */
  earlyRetries: EarlyRetryRow[];
}

/** Without Retry-After (a 503 may have none) one second is the least back-off counted. */
const MIN_BACKOFF_SECONDS = 1;

/** The routes or API keys ($limit of them) with the most requests among the filtered ones, from the narrowest rollup holding them. */
function topOf(dimension: 'route' | 'apiKeyId', filter: RequestFilter, conditions: string, limit: string): string {
  return `SELECT ${groupExpression(dimension)} AS key, sum(count)::bigint AS n
          FROM ${rollupTableFor(filter, dimension)} WHERE ${conditions}
          GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST LIMIT ${limit}`;
}

/** The top contributors as a JSON array in rank order (ties by key, nulls last, as topOf ranks them). */
const RANKED = `coalesce(json_agg(json_build_object('key', key, 'count', n) ORDER BY n DESC, key NULLS LAST), '[]')`;

/**
 * What drove a spike, in ONE statement (one round trip instead of three, and no wait between them):
 * its top routes and API keys from the rollups, and the early retries of those keys from the raw rows.
 * Early retries: per key, each request is compared with the key's previous one (lag over sent_at,
 * request_id); when that was answered with the spike's status and this one came before its Retry-After
 * elapsed, it is an early retry. The lag carries that deadline itself ("retry not before", null unless
 * the previous request got the spike's status): one window function instead of three. Raw rows only of
 * the top keys within the window, read key by key (a LATERAL subquery per top key, an index probe on
 * (api_key_id, sent_at) each): each key's rows are then sorted by time alone, where one window over all
 * the keys sorted every row by (api_key_id, sent_at, request_id) — text comparisons, 40% of the statement.
 */
@Injectable()
export class SpikeDriversRepository {
  constructor(private readonly pool: ReadPool) {}

  async drivers(
    from: Date,
    to: Date,
    filter: RequestFilter,
    status: number,
    limits: { routes: number; apiKeys: number },
  ): Promise<SpikeDrivers> {
    const where = rollupWhere(from, to, filter);
    const conditions = where.conditions.join(' AND ');
    const p = (n: number) => `$${where.parameters.length + n}`;
    const { rows } = await this.pool.query<{ routes: Contributor[]; keys: Contributor[]; retries: EarlyRetryRow[] }>(
      `WITH top_routes AS (${topOf('route', filter, conditions, p(1))}),
       top_keys AS (${topOf('apiKeyId', filter, conditions, p(2))}),
       retries AS (
         SELECT k.key AS "apiKeyId", r.requests, r.rejected, r."earlyRetries" FROM top_keys k CROSS JOIN LATERAL (
           SELECT count(*) AS requests, count(*) FILTER (WHERE status = ${p(3)}) AS rejected,
                  count(*) FILTER (WHERE sent_at < retry_not_before) AS "earlyRetries"
           FROM (SELECT sent_at, status,
                        lag(CASE WHEN status = ${p(3)} THEN sent_at + make_interval(secs => COALESCE(retry_after, ${p(4)})) END)
                          OVER (ORDER BY sent_at, request_id) AS retry_not_before
                 FROM request_logs WHERE api_key_id = k.key AND sent_at >= $1 AND sent_at < $2) sequenced
         ) r WHERE r.requests > 0)
       SELECT (SELECT ${RANKED} FROM top_routes) AS routes, (SELECT ${RANKED} FROM top_keys) AS keys,
              (SELECT coalesce(json_agg(retries), '[]') FROM retries) AS retries`,
      [...where.parameters, limits.routes, limits.apiKeys, status, MIN_BACKOFF_SECONDS],
    );
    return { topRoutes: rows[0].routes, topApiKeys: rows[0].keys, earlyRetries: rows[0].retries };
  }
}
