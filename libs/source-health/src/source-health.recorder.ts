import type { FieldErrors } from '#libs/access-log';
import type { RejectedLine } from '#libs/queue';
import type { Redactor } from '#libs/redaction';
import { firstField, type IngestSource, rejectionReason } from './ingest-source.js';
import { REJECTED_LINES_PER_SOURCE, type SourceDelta, type SourceHealthStore } from './source-health.store.js';

/** Bytes of a rejected line kept (UTF-8, after redaction); the rest is cut and the entry says `truncated`. */
export const REJECTED_LINE_MAX_BYTES = 2048;
/** How often each process adds what it saw to Redis: the admin view is at most this late for other replicas. */
export const SOURCE_HEALTH_FLUSH_MS = 1000;
/** Characters of a text line redacted at most: a longer one is cut first, so a huge line costs no more. */
const REDACTED_CHARS = 4 * REJECTED_LINE_MAX_BYTES;
/** Field errors and messages kept per entry: the validator's, bounded for lines from any source. */
const MAX_DETAIL_FIELDS = 10;
const MAX_DETAIL_MESSAGES = 3;
const MAX_MESSAGE_CHARS = 300;

/** One kept rejected line, as stored in Redis and answered to an admin. */
export interface RejectedLineEntry {
  at: string;
  /** The metric's reason (first invalid field, `malformed_json`), or the error code of a request refused whole. */
  reason: string;
  details: Record<string, string[]>;
  /** What the source sent, redacted, at most REJECTED_LINE_MAX_BYTES. */
  line: string;
  truncated: boolean;
}

/** A request refused whole before its lines were counted: a domain error's code, message and details. */
export interface RefusedRequest {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** A request's records after validation, as the job producer reports them. */
export interface ValidatedBatch {
  received: number;
  rejectedCount: number;
  rejectedLines: readonly RejectedLine[];
}

/**
 * Ingest health per source, counted per request (never per record) in memory and added to Redis every
 * SOURCE_HEALTH_FLUSH_MS by one pipeline, off the request path. Rejected lines are redacted (secrets,
 * client IPs per CLIENT_IP_MODE) and cut to REJECTED_LINE_MAX_BYTES when they are kept: the first
 * REJECTED_LINES_PER_SOURCE of a source between two flushes (Redis keeps the newest 20 across flushes, so the
 * list shows the latest second that had rejections). If Redis refuses a flush, its deltas are
 * kept for the next one (counts add up, lines stay capped): memory stays bounded either way.
 */
export class SourceHealthRecorder {
  private pending = new Map<IngestSource, SourceDelta>();
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly store: SourceHealthStore,
    private readonly redactor: Redactor,
    private readonly warn: (message: string) => void,
  ) {}

  observeValidated(source: IngestSource, batch: ValidatedBatch, now = Date.now()): void {
    const delta = this.deltaOf(source);
    delta.received += batch.received;
    delta.rejected += batch.rejectedCount;
    delta.lastSeenMs = Math.max(delta.lastSeenMs, now);
    // Redacting is the costly part (~30 µs a line): at most REJECTED_LINES_PER_SOURCE lines a source between two
    // flushes are, so a flood of bad requests costs that per second, not per request. The rest are only counted.
    const room = REJECTED_LINES_PER_SOURCE - delta.lines.length;
    if (room <= 0 || batch.rejectedLines.length === 0) return;
    const at = new Date(now).toISOString();
    for (const rejected of batch.rejectedLines.slice(0, room)) delta.lines.push(this.entry(rejected, at));
  }

  /**
   * A request refused whole before any line was counted (a body that is not JSON or not UTF-8, a content
   * type or encoding we do not read, too large, NDJSON with no JSON line): no count moves, but the source's
   * list gets an entry with the error's code as its reason and the start of the body as its line.
   */
  observeRefusedRequest(source: IngestSource, error: RefusedRequest, body?: Buffer, now = Date.now()): void {
    const delta = this.deltaOf(source);
    if (delta.lines.length >= REJECTED_LINES_PER_SOURCE) return;
    const head = body === undefined ? '' : body.subarray(0, REDACTED_CHARS).toString('utf8');
    const details = { request: [error.message, JSON.stringify(error.details)] };
    delta.lines.push(this.entry({ line: head, details }, new Date(now).toISOString(), error.code));
  }

  observeAccepted(source: IngestSource, records: number): void {
    this.deltaOf(source).accepted += records;
  }

  /** Valid records the queue refused (503): not accepted after all, so received = accepted + rejected here too. */
  observeRefused(source: IngestSource, records: number): void {
    this.deltaOf(source).rejected += records;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), SOURCE_HEALTH_FLUSH_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Adds what this process saw to Redis (one flush at a time); a failure is warned about and retried next time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (this.pending.size === 0) return;
    const deltas = this.pending;
    this.pending = new Map();
    try {
      await this.store.add(deltas);
    } catch (err) {
      this.warn(`ingest source health not saved, kept for the next flush: ${(err as Error).message}`);
      for (const [source, delta] of deltas) this.mergeBack(source, delta);
    }
  }

  private mergeBack(source: IngestSource, older: SourceDelta): void {
    const delta = this.deltaOf(source);
    delta.received += older.received;
    delta.accepted += older.accepted;
    delta.rejected += older.rejected;
    delta.lastSeenMs = Math.max(delta.lastSeenMs, older.lastSeenMs);
    delta.lines = [...older.lines, ...delta.lines].slice(-REJECTED_LINES_PER_SOURCE);
  }

  private deltaOf(source: IngestSource): SourceDelta {
    let delta = this.pending.get(source);
    if (delta === undefined) this.pending.set(source, (delta = { received: 0, accepted: 0, rejected: 0, lastSeenMs: 0, lines: [] }));
    return delta;
  }

  /** One rejected line as stored: when, why (the metric's reason and the field errors), and the line, redacted and cut. */
  private entry({ line, details }: RejectedLine, at: string, reason = rejectionReason(firstField(details))): string {
    const cutFirst = typeof line === 'string' && line.length > REDACTED_CHARS;
    // A text line is cut before redaction (a huge one costs no more); a JSON value is redacted as JSON first (secret-named
    // keys at any depth; the redactor masks past 64 levels and 100,000 values, so a 200,000-deep line never reaches
    // JSON.stringify's recursion) and only then turned into text.
    let text: string;
    try {
      text = this.redactor.line(cutFirst ? line.slice(0, REDACTED_CHARS) : line);
    } catch {
      // Not JSON at all (a BigInt or a getter that throws, handed to the shipper's sink): diagnostics must never fail an ingest.
      text = '[a value that cannot be written as JSON]';
    }
    const bytes = Buffer.from(text);
    const truncated = bytes.length > REJECTED_LINE_MAX_BYTES || cutFirst;
    const kept = bytes.length > REJECTED_LINE_MAX_BYTES ? cutUtf8(bytes, REJECTED_LINE_MAX_BYTES) : text;
    const entry: RejectedLineEntry = { at, reason, details: this.boundedDetails(details), line: kept, truncated };
    return JSON.stringify(entry);
  }

  /** The field errors, bounded and redacted (a JSON.parse message quotes the line it failed on). */
  private boundedDetails(details: FieldErrors): Record<string, string[]> {
    const bounded: Record<string, string[]> = {};
    for (const field of Object.keys(details).sort().slice(0, MAX_DETAIL_FIELDS)) {
      bounded[field] = details[field]
        .slice(0, MAX_DETAIL_MESSAGES)
        .map((message) => this.redactor.line(message.slice(0, MAX_MESSAGE_CHARS)));
    }
    return bounded;
  }
}

/** The first `maxBytes` bytes of UTF-8 text, never splitting a character. */
function cutUtf8(bytes: Buffer, maxBytes: number): string {
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
