import { type AccessLogRecord, type ValidationLimits, validateRecord } from '#libs/access-log';
import { type LogSink, PermanentSinkError } from './log-sink.js';

export interface LogShipperOptions {
  sink: LogSink;
  /** Records per delivered batch (one queue job or one POST). */
  batchSize?: number;
  /** Longest a record waits in the buffer before a flush. */
  flushIntervalMs?: number;
  /** Buffer bound: beyond it the OLDEST records are dropped (and counted), so memory stays bounded. */
  maxBufferedRecords?: number;
  /** How long close() keeps retrying a failing sink before giving the remaining records up. */
  closeTimeoutMs?: number;
  /** The ingest API's acceptance window, applied before shipping so the worker never sees an invalid record. */
  limits?: ValidationLimits;
  /** Delivery problems; defaults to a console warning at most every 10 s. */
  onError?: (err: Error) => void;
}

/** Counters of what happened to recorded responses. */
export interface ShipperStats {
  shipped: number;
  /** Dropped because the buffer was full (sink too slow or away for too long). */
  dropped: number;
  /** Refused by validation (should not happen with the middleware) or permanently by the sink. */
  rejected: number;
  /** Still buffered when close() gave up. */
  lost: number;
  buffered: number;
}

/**
 * A bounded buffer of access-log records, delivered in batches to a sink off the request path:
 * `record()` only validates and appends. Flushes when a batch is full, every `flushIntervalMs`, and
 * on close(). A failing sink keeps its batch buffered for the next attempt (drop-oldest beyond the
 * bound, counted in `stats.dropped`).
 */
export class LogShipper {
  private buffer: AccessLogRecord[] = [];
  private readonly counters = { shipped: 0, dropped: 0, rejected: 0, lost: 0 };
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly limits: ValidationLimits;
  private readonly timer: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private flushScheduled = false;
  private closed = false;
  private lastWarning = 0;

  constructor(private readonly options: LogShipperOptions) {
    this.batchSize = options.batchSize ?? 1000;
    this.maxBuffered = Math.max(options.maxBufferedRecords ?? 100_000, this.batchSize);
    this.limits = options.limits ?? { maxFutureSkewSeconds: 86_400, maxAgeDays: 90 };
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  get stats(): ShipperStats {
    return { ...this.counters, buffered: this.buffer.length };
  }

  /** Validates and buffers one record (the shape POST /v1/logs accepts). Never throws, never waits. */
  record(input: unknown): void {
    if (this.closed) return void this.counters.lost++;
    const result = validateRecord(input, this.limits);
    if (!result.ok) {
      this.counters.rejected++;
      return this.warn(new Error(`access-log record refused: ${JSON.stringify(result.details)}`));
    }
    this.buffer.push(result.record);
    this.trim();
    if (this.buffer.length >= this.batchSize && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => ((this.flushScheduled = false), void this.flush()));
    }
  }

  /** Delivers everything buffered so far (one delivery at a time); resolves when done or the sink fails. */
  flush(): Promise<void> {
    this.inFlight ??= this.drain().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Stops accepting records and delivers the buffer, retrying a failing sink up to `closeTimeoutMs`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const deadline = Date.now() + (this.options.closeTimeoutMs ?? 10_000);
    await this.flush();
    while (this.buffer.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await this.flush();
    }
    this.counters.lost += this.buffer.length;
    this.buffer = [];
    await this.options.sink.close();
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      try {
        const rejected = (await this.options.sink.send(batch))?.rejected ?? 0;
        this.counters.shipped += batch.length - rejected;
        this.counters.rejected += rejected;
      } catch (err) {
        if (err instanceof PermanentSinkError) {
          this.counters.rejected += batch.length;
        } else {
          // Put it back in front (records arrived meanwhile stay behind it) and try again later.
          this.buffer = batch.concat(this.buffer);
          this.trim();
        }
        return this.warn(err as Error);
      }
    }
  }

  private trim(): void {
    const excess = this.buffer.length - this.maxBuffered;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.counters.dropped += excess;
    }
  }

  private warn(err: Error): void {
    if (this.options.onError) return this.options.onError(err);
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    console.warn(`[log-shipper] ${err.message} (stats: ${JSON.stringify(this.stats)})`);
  }
}
