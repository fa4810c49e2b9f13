import { Injectable } from '@nestjs/common';
import { ReadPool } from '#libs/database';

export interface EarlyRetryRow {
  apiKeyId: string;
  /** Requests the key sent during the spike. */
  requests: number;
  /** Of those, answered with the spike's status. */
  rejected: number;
  /** Requests sent sooner after a rejection than its Retry-After allowed. */
  earlyRetries: number;
}

/**
 * Per key, each request is compared with the key's previous one (lag over sent_at): when that was
 * answered with the spike's status and this one came before its Retry-After elapsed, it is an early
 * retry. Without Retry-After (a 503 may have none) one second is the least back-off counted.
 * Reads raw rows, but only of the given keys within the spike window (index on api_key_id, sent_at).
 */
const EARLY_RETRIES_SQL = `
WITH sequenced AS (
  SELECT api_key_id, sent_at, status,
         lag(sent_at) OVER by_key AS previous_at,
         lag(status) OVER by_key AS previous_status,
         lag(retry_after) OVER by_key AS previous_retry_after
  FROM request_logs
  WHERE api_key_id = ANY($1::text[]) AND sent_at >= $2 AND sent_at < $3
  WINDOW by_key AS (PARTITION BY api_key_id ORDER BY sent_at, request_id)
)
SELECT api_key_id,
       count(*) AS requests,
       count(*) FILTER (WHERE status = $4) AS rejected,
       count(*) FILTER (WHERE previous_status = $4
                          AND sent_at < previous_at + make_interval(secs => COALESCE(previous_retry_after, $5))) AS early
FROM sequenced
GROUP BY api_key_id`;

const MIN_BACKOFF_SECONDS = 1;

@Injectable()
export class EarlyRetryRepository {
  constructor(private readonly pool: ReadPool) {}

  async earlyRetries(apiKeyIds: string[], from: Date, to: Date, status: number): Promise<EarlyRetryRow[]> {
    if (apiKeyIds.length === 0) return [];
    const { rows } = await this.pool.query<{ api_key_id: string; requests: string; rejected: string; early: string }>(EARLY_RETRIES_SQL, [
      apiKeyIds,
      from,
      to,
      status,
      MIN_BACKOFF_SECONDS,
    ]);
    return rows.map((r) => ({
      apiKeyId: r.api_key_id,
      requests: Number(r.requests),
      rejected: Number(r.rejected),
      earlyRetries: Number(r.early),
    }));
  }
}
