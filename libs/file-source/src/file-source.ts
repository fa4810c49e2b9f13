import type { AccessLogRecord, ValidationLimits } from '#libs/access-log';
import type { LogMapper } from '#libs/log-formats';
import type { LogSink } from '#libs/log-shipper';
import { PRODUCER_DEFAULTS } from '#libs/queue';
import { writeCheckpoint } from './checkpoint.js';
import { deliverBatch } from './deliver-batch.js';
import { lineRecord } from './line-record.js';
import { type Line, LineSplitter } from './line-splitter.js';
import { Pauses } from './pauses.js';
import { progressLine, type FileSourceStats, RejectionReports } from './progress.js';
import { openAtCheckpoint } from './resume.js';
import { fileAt, sameFile, TailedFile } from './tailed-file.js';

/** The file source's bounds: memory is one chunk, one unfinished line and one batch, whatever the file holds. */
export const FILE_SOURCE_LIMITS = {
  /** A longer line is skipped as it is read (never buffered whole) and counted as `tooLong`. */
  maxLineBytes: 64 * 1024,
  /** Records per delivered batch (one POST or one queue job), as the api's INGEST_JOB_BATCH_SIZE. */
  batchSize: 1000,
  /** Bytes of lines per batch: far below the api's INGEST_MAX_BODY_BYTES (10 MiB), so no batch is a 413. */
  maxBatchBytes: 1024 * 1024,
  chunkBytes: 64 * 1024,
} as const;

export interface FileSourceOptions {
  /** The JSON-lines access log, e.g. /var/log/nginx/api.json. */
  path: string;
  /** Where the checkpoint is kept (written atomically after each acknowledged batch). */
  checkpointPath: string;
  sink: LogSink;
  /** The source's preset (libs/log-formats); absent when the lines are Verilock records already. */
  mapper?: LogMapper;
  batchSize?: number;
  maxLineBytes?: number;
  /** How often the end of the file is polled for new lines, and for a rotation or a truncation. */
  pollIntervalMs?: number;
  /** Longest a line waits for its batch to fill before the batch is sent anyway. */
  flushIntervalMs?: number;
  /** After a new file appears at the path, how long the old one must stay quiet before it is left. */
  rotateWaitMs?: number;
  progressIntervalMs?: number;
  limits?: ValidationLimits;
  /** Progress and events, one line each (stderr by default). */
  log?: (line: string) => void;
}

interface PendingBatch {
  records: AccessLogRecord[];
  bytes: number;
  /** File offset just past the batch's last line (taken, rejected or skipped alike). */
  end: number;
  startedAt: number;
}

/**
 * Tails a JSON-lines access log and ships it through a log-shipper sink, one batch at a time, advancing
 * the checkpoint only once the sink took a batch: a restart resumes there, so at most the batch in
 * flight is sent twice (and stored once: ingest is idempotent). Follows rename rotation (the old inode is
 * read to its end, until quiet for `rotateWaitMs`, then the new file from 0) and copytruncate (the size
 * drops below the offset: read again from 0). A line that is not a record is counted and reported,
 * never stops the tail.
 */
export class FileSource {
  readonly stats: FileSourceStats = { lines: 0, shipped: 0, rejected: 0, tooLong: 0, retries: 0, rotations: 0, truncations: 0 };
  private readonly limits: { batchSize: number; maxLineBytes: number; maxBatchBytes: number } = { ...FILE_SOURCE_LIMITS };
  private readonly pauses = new Pauses();
  private readonly splitter: LineSplitter;
  private readonly chunk = Buffer.alloc(FILE_SOURCE_LIMITS.chunkBytes);
  private readonly reports: RejectionReports;
  private readonly log: (line: string) => void;
  private file?: TailedFile;
  private readOffset = 0;
  private acked = 0;
  private batch: PendingBatch = { records: [], bytes: 0, end: 0, startedAt: 0 };
  private rotationSeenAt?: number;

  constructor(private readonly options: FileSourceOptions) {
    this.limits.batchSize = options.batchSize ?? FILE_SOURCE_LIMITS.batchSize;
    this.limits.maxLineBytes = options.maxLineBytes ?? FILE_SOURCE_LIMITS.maxLineBytes;
    this.splitter = new LineSplitter(this.limits.maxLineBytes);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.reports = new RejectionReports(options.path, this.log);
  }

  /** Tails until stop(); rejects only when it cannot go on (the file unreadable, the api refusing the key). */
  async run(): Promise<void> {
    const progress = setInterval(() => void this.progress().then(this.log), this.options.progressIntervalMs ?? 10_000);
    try {
      const start = await openAtCheckpoint(this.options.path, this.options.checkpointPath, this.pauses, this.log);
      if (!start) return;
      this.file = start.file;
      this.readOffset = this.acked = this.batch.end = start.offset;
      while (!this.pauses.stopped) {
        if (await this.readChunk()) continue;
        if (this.batch.end > this.acked) {
          if (Date.now() - this.batch.startedAt >= (this.options.flushIntervalMs ?? 1000)) await this.ship();
          else await this.pauses.sleep(50);
        } else if (!(await this.followRotation())) await this.pauses.sleep(this.options.pollIntervalMs ?? 250);
      }
    } finally {
      clearInterval(progress);
      this.log(await this.progress());
      await this.file?.close();
    }
  }

  /**
   * Stops at the next step: a send in flight finishes (and is checkpointed), a wait ends, and lines read
   * but not yet acknowledged are read again by the next run.
   */
  stop(): void {
    this.pauses.stop();
  }

  private async readChunk(): Promise<boolean> {
    const bytes = await this.file!.read(this.chunk, this.readOffset);
    if (bytes === 0) return false;
    const at = this.readOffset;
    this.readOffset += bytes;
    if (this.rotationSeenAt !== undefined) this.rotationSeenAt = Date.now();
    for (const line of this.splitter.push(this.chunk.subarray(0, bytes), at)) {
      this.take(line);
      const full = this.batch.records.length >= this.limits.batchSize || this.batch.bytes >= this.limits.maxBatchBytes;
      if (full) await this.ship();
      if (this.pauses.stopped) return false;
    }
    return true;
  }

  private take(line: Line): void {
    if (this.batch.end === this.acked) this.batch.startedAt = Date.now();
    this.batch.end = line.end;
    if ('tooLong' in line) {
      this.stats.lines++;
      this.stats.tooLong++;
      return this.reports.report(line.end, { line: [`longer than ${this.limits.maxLineBytes} bytes: skipped`] });
    }
    const outcome = lineRecord(line.text.toString('utf8'), this.options.mapper, this.options.limits ?? PRODUCER_DEFAULTS);
    if (outcome === undefined) return;
    this.stats.lines++;
    if (!outcome.ok) {
      this.stats.rejected++;
      return this.reports.report(line.end, outcome.details);
    }
    this.batch.records.push(outcome.record);
    this.batch.bytes += line.text.length;
  }

  /** Delivers the pending batch (retrying as the sink asks), then moves the checkpoint past it. */
  private async ship(): Promise<void> {
    const { records, end } = this.batch;
    if (records.length > 0) {
      const delivered = await deliverBatch(this.options.sink, records, this.pauses, (reason, waitMs) => {
        this.stats.retries++;
        this.log(`[ship] ${reason}: retrying in ${Math.ceil(waitMs / 1000)} s, checkpoint kept at ${this.acked}`);
      });
      if (delivered === 'stopped') return;
      if (delivered.refusal) this.log(`[ship] a batch of ${records.length} records was refused for good: ${delivered.refusal}`);
      this.stats.shipped += delivered.shipped;
      this.stats.rejected += delivered.rejected;
    }
    await this.commit(end);
  }

  private async commit(offset: number): Promise<void> {
    const { identity, openedAs } = this.file!;
    await writeCheckpoint(this.options.checkpointPath, { path: openedAs, ...identity, offset });
    this.acked = offset;
    this.batch = { records: [], bytes: 0, end: offset, startedAt: 0 };
  }

  /** At the end of the file with nothing pending: a truncation or a new file at the path. True when it switched. */
  private async followRotation(): Promise<boolean> {
    const file = this.file!;
    if ((await file.size()) < this.readOffset) {
      this.stats.truncations++;
      this.log(`[ship] ${this.options.path} shrank below offset ${this.readOffset} (copytruncate): reading it again from its start`);
      return this.restart(file);
    }
    const now = await fileAt(this.options.path);
    if (!now || sameFile(now, file.identity)) return ((this.rotationSeenAt = undefined), false);
    this.rotationSeenAt ??= Date.now();
    if (Date.now() - this.rotationSeenAt < (this.options.rotateWaitMs ?? 2000)) return false;
    const next = await TailedFile.open(this.options.path);
    if (!next) return false;
    if (this.splitter.heldBytes > 0)
      this.log(`[ship] the rotated file ends with an unfinished line (${this.splitter.heldBytes} bytes): dropped`);
    await file.close();
    this.stats.rotations++;
    this.log(`[ship] ${this.options.path} was rotated: the old file is read to its end (${this.readOffset} bytes), now the new one`);
    return this.restart(next);
  }

  private async restart(file: TailedFile): Promise<boolean> {
    this.file = file;
    this.rotationSeenAt = undefined;
    this.splitter.reset();
    this.readOffset = 0;
    await this.commit(0);
    return true;
  }

  private async progress(): Promise<string> {
    const size = this.file ? await this.file.size().catch(() => this.acked) : 0;
    return progressLine(this.options.path, this.stats, this.acked, Math.max(0, size - this.acked));
  }
}
