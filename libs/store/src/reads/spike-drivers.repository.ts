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
 * Early retries: per key, each request is compared with the key's previous one (lag over sent_at);
 * when that was answered with the spike's status and this one came before its Retry-After elapsed, it
 * is an early retry. Raw rows only of the top keys within the window: `= ANY(ARRAY(…))`, the keys
 * computed once, leaves the index on (api_key_id, sent_at) open to the planner as a list of keys does
 * (`IN (SELECT …)` planned a hash join over every row of the window).
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
       sequenced AS (
         SELECT api_key_id, sent_at, status,
                lag(sent_at) OVER by_key AS previous_at,
                lag(status) OVER by_key AS previous_status,
                lag(retry_after) OVER by_key AS previous_retry_after
         FROM request_logs
         WHERE api_key_id = ANY(ARRAY(SELECT key FROM top_keys)) AND sent_at >= $1 AND sent_at < $2
         WINDOW by_key AS (PARTITION BY api_key_id ORDER BY sent_at, request_id)),
       retries AS (
         SELECT api_key_id AS "apiKeyId", count(*) AS requests, count(*) FILTER (WHERE status = ${p(3)}) AS rejected,
                count(*) FILTER (WHERE previous_status = ${p(3)}
                  AND sent_at < previous_at + make_interval(secs => COALESCE(previous_retry_after, ${p(4)}))) AS "earlyRetries"
         FROM sequenced GROUP BY api_key_id)
       SELECT (SELECT ${RANKED} FROM top_routes) AS routes, (SELECT ${RANKED} FROM top_keys) AS keys,
              (SELECT coalesce(json_agg(retries), '[]') FROM retries) AS retries`,
      [...where.parameters, limits.routes, limits.apiKeys, status, MIN_BACKOFF_SECONDS],
    );
    return { topRoutes: rows[0].routes, topApiKeys: rows[0].keys, earlyRetries: rows[0].retries };
  }
}
