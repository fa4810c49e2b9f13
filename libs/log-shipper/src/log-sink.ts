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

/** A refusal that retrying cannot fix (e.g. the ingest API answered 422): the batch is dropped and counted. */
export class PermanentSinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSinkError';
  }
}
