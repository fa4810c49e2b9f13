import type { AccessLogRecord } from '#libs/access-log';
import { type LogSink, PermanentSinkError, RetryLaterError } from '#libs/log-shipper';
import type { Pauses } from './pauses.js';

/** Longest wait between two attempts at a batch when the sink names no Retry-After. */
const MAX_BACKOFF_MS = 30_000;

/** The api refused the key itself (401/403): no record of the file can go anywhere, so the source stops. */
export class SinkCredentialsRefused extends Error {}

export interface Delivered {
  shipped: number;
  rejected: number;
  /** Why the whole batch was refused for good, if it was. */
  refusal?: string;
}

/**
 * Sends one batch until the sink takes it: a 429/503 waits its Retry-After, any other temporary failure
 * (network, 5xx, Redis away, a full backlog) backs off exponentially up to 30 s, each retry counted in
 * `onRetry`. A batch refused for good (4xx) counts as rejected. 'stopped' when a stop came during a wait:
 * the batch was not taken, and the caller keeps its checkpoint where it was.
 */
export async function deliverBatch(
  sink: LogSink,
  records: AccessLogRecord[],
  pauses: Pauses,
  onRetry: (reason: string, waitMs: number) => void,
): Promise<Delivered | 'stopped'> {
  for (let attempt = 0; ; attempt++) {
    try {
      const rejected = (await sink.send(records))?.rejected ?? 0;
      return { shipped: records.length - rejected, rejected };
    } catch (err) {
      if (err instanceof PermanentSinkError) {
        if (err.status === 401 || err.status === 403) throw new SinkCredentialsRefused(`${err.message} (set a logs:write key)`);
        return { shipped: 0, rejected: records.length, refusal: err.message };
      }
      const waitMs =
        err instanceof RetryLaterError && err.retryAfterMs !== undefined ? err.retryAfterMs : Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
      onRetry((err as Error).message, waitMs);
      if (!(await pauses.sleep(waitMs))) return 'stopped';
    }
  }
}
