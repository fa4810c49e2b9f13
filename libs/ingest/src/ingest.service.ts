import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AccessLogRecord, FieldErrors, validateRecord } from '#libs/access-log';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { serviceUnavailable, validationError } from '#libs/http-errors';
import { IngestMetrics } from '#libs/metrics';
import { INGEST_JOB, INGEST_QUEUE, IngestJobData, ingestJobData, throttledWarning, withTimeout } from '#libs/queue';
import { Redactor } from '#libs/redaction';
import type { ParsedBatch } from './parse-batch.js';

export interface IngestResult {
  accepted: number;
  rejected: { index: number; details: FieldErrors }[];
}

/** Validates candidate records and enqueues the valid ones, many records per job. */
@Injectable()
export class IngestService implements OnModuleInit {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue<IngestJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: IngestMetrics,
    private readonly redactor: Redactor,
  ) {}

  onModuleInit(): void {
    // Without a listener an 'error' event would crash the process while Redis is away.
    const warn = throttledWarning(this.logger);
    this.queue.on('error', (err) => warn(`queue connection: ${err.message}`));
  }

  async ingest(batch: ParsedBatch, source: IngestJobData['source']): Promise<IngestResult> {
    const now = new Date();
    const valid: AccessLogRecord[] = [];
    const rejected: IngestResult['rejected'] = [...batch.unparsable];
    for (const { index, value } of batch.items) {
      const result = validateRecord(value, this.config.ingest, now);
      if (result.ok) valid.push(result.record);
      else rejected.push({ index, details: result.details });
    }
    rejected.sort((a, b) => a.index - b.index);
    this.metrics.observeValidated(source, batch.items.length + batch.unparsable.length, rejected.map((r) => Object.keys(r.details)));
    if (valid.length === 0) {
      throw validationError(flatten(rejected), 'No record in the batch is valid.');
    }
    await this.enqueue(valid, now.toISOString(), source);
    this.metrics.observeAccepted(source, valid.length);
    return { accepted: valid.length, rejected };
  }

  /**
   * Enqueues all chunks atomically (one MULTI), or none: a 503 means "send the whole batch again".
   * Every producer goes through here, so secrets are redacted before anything reaches Redis.
   */
  async enqueue(validated: AccessLogRecord[], receivedAt: string, source: IngestJobData['source']): Promise<void> {
    const records = validated.map((r) => this.redactor.redact(r));
    const size = this.config.ingest.jobBatchSize;
    const jobs = [];
    for (let i = 0; i < records.length; i += size) {
      jobs.push({ name: INGEST_JOB, data: ingestJobData(records.slice(i, i + size), receivedAt, source) });
    }
    const { enqueueTimeoutMs, retryAfterSeconds } = this.config.ingest;
    let backlog: number;
    try {
      backlog = await withTimeout(this.backlog(), enqueueTimeoutMs, 'backlog check');
      if (backlog < this.config.backpressure.maxBacklog) await withTimeout(this.queue.addBulk(jobs), enqueueTimeoutMs, 'enqueue');
    } catch (err) {
      this.logger.warn(`enqueue failed: ${(err as Error).message}`);
      this.metrics.observeEnqueueFailure(records.length);
      throw serviceUnavailable('The ingest queue is unavailable; nothing from this batch was accepted. Retry later.', retryAfterSeconds);
    }
    if (backlog >= this.config.backpressure.maxBacklog) {
      // Shedding load here keeps Redis memory bounded while the worker (or Postgres) catches up.
      throw serviceUnavailable(
        `The ingest backlog is full (${backlog} batches pending); nothing from this batch was accepted. Retry later.`,
        retryAfterSeconds,
      );
    }
  }

  /** Batches accepted but not finished: waiting, prioritized, delayed (retry backoff) and active. */
  private async backlog(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }
}

/** Per-record field errors as the conventions' flat `details` map: `records[3].status` → messages. */
function flatten(rejected: IngestResult['rejected']): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const { index, details: fields } of rejected) {
    for (const [field, messages] of Object.entries(fields)) details[`records[${index}].${field}`] = messages;
  }
  return details;
}
