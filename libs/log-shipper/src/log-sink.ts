import type { AccessLogRecord } from '#libs/access-log';

/** What a sink did with a delivered batch: records it refused on their own (the rest were taken). */
export interface SinkResult {
  rejected: number;
}

/** Where a shipper delivers its batches. `send` throws when the batch may be retried later. */
export interface LogSink {
  send(records: AccessLogRecord[]): Promise<SinkResult | void>;
  close(): Promise<void>;
}

/**
 * A refusal that retrying cannot fix (e.g. the ingest API answered 422): the batch is dropped and counted.
 * `status` is the HTTP answer when there was one: a 401/403 (wrong key) says nothing about the records.
 */
export class PermanentSinkError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PermanentSinkError';
  }
}

/** A refusal that asks to be retried after a while (429/503 with Retry-After): nothing of the batch was taken. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
