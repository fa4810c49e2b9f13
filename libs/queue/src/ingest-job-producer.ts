import type { Queue } from 'bullmq';
import { type AccessLogRecord, type FieldErrors, type ValidationLimits, validateRecord } from '#libs/access-log';
import { type RedactionConfig, Redactor } from '#libs/redaction';
import { withTimeout } from '#libs/redis';
import { addAllOrNothing, type SerialisedJob, serialiseJob } from './all-or-nothing.js';
import { Backpressure, type BackpressureLimits } from './backpressure.js';
import { type IngestJobData, ingestJobData } from './ingest-queue.js';
import type { ProducerConfig } from './producer.config.js';
import { QueueRefusal } from './queue-refusal.js';
import { TimeSlicer } from './time-slicer.js';

/** Rejected records reported one by one (index and field errors); the rest are only counted, so an answer stays small. */
export const REPORTED_REJECTIONS = 100;
/** Rejected lines of a batch kept as sent (for the ingest-sources admin view), the first ones only: a flood costs no more. */
export const SAMPLED_REJECTED_LINES = 20;

export interface ProducerSettings extends BackpressureLimits {
  limits: ValidationLimits;
  /** REDACT_FIELDS, CLIENT_IP_MODE, CLIENT_IP_HASH_KEY: the producer builds its own Redactor from them, so no producer can skip it. */
  redaction: RedactionConfig;
  jobBatchSize: number;
  /** Longest the Redis part of an enqueue (backpressure check, transaction) may take before a refusal. */
  enqueueTimeoutMs: number;
}

/**
 * A candidate record at its position in the request: a value to validate, or one already known invalid (a
 * malformed NDJSON line). `line`: what the source sent when it is not `value` (a preset's input, the text of
 * a line that is not JSON), kept only if the candidate is rejected.
 */
export type Candidate = ({ index: number; value: unknown } | { index: number; invalid: FieldErrors }) & { line?: unknown };

/** A rejected candidate as its source sent it, with why: never answered to the client, which has its own lines. */
export interface RejectedLine {
  line: unknown;
  details: FieldErrors;
}

export interface RejectedRecord {
  index: number;
  details: FieldErrors;
}

/** Who produced a batch and when; the same for every job of it. */
export interface BatchOrigin {
  receivedAt: Date;
  source: IngestJobData['source'];
  ingestKeyId: string | null;
}

/** A request's records validated, redacted and serialised into jobs, not yet enqueued. */
export interface PreparedBatch {
  jobs: SerialisedJob[];
  /** Payload bytes of the jobs, as Redis will receive them. */
  bytes: number;
  received: number;
  accepted: number;
  /** The first REPORTED_REJECTIONS rejected records, in request order. */
  rejected: RejectedRecord[];
  rejectedCount: number;
  /** Rejected records by their first invalid field (alphabetically): a bounded set of names. */
  rejectedByField: Map<string, number>;
  /** The first SAMPLED_REJECTED_LINES rejected candidates, as sent. */
  rejectedLines: RejectedLine[];
}

/** The producer settings of the service's configuration. */
export function producerSettings(config: { producer: ProducerConfig; redaction: RedactionConfig }): ProducerSettings {
  return { ...config.producer, redaction: config.redaction };
}

/**
 * The one way a job gets onto the ingest queue, for every producer (HTTP ingest, the shipper's
 * queue sink): validate → redact (REDACT_FIELDS, CLIENT_IP_MODE) → encode as rows → backpressure
 * (jobs pending, Redis memory) → one transaction. Long loops yield to the event loop every few ms.
 * Plain TypeScript: the shipper runs it inside applications without Nest. The steps are private:
 * a job reaches the queue only through prepare() then enqueue(), and the Redactor is built here
 * from the settings, never handed in (a producer that skipped redaction is how a secret slipped through).
 */
export class IngestJobProducer {
  private readonly backpressure: Backpressure;
  private readonly redactor: Redactor;

  constructor(
    private readonly queue: Queue<IngestJobData>,
    private readonly settings: ProducerSettings,
  ) {
    this.backpressure = new Backpressure(queue, settings);
    this.redactor = new Redactor(settings.redaction);
  }

  async prepare(candidates: Iterable<Candidate>, origin: BatchOrigin, slicer = new TimeSlicer()): Promise<PreparedBatch> {
    const batch: PreparedBatch = {
      jobs: [],
      bytes: 0,
      received: 0,
      accepted: 0,
      rejected: [],
      rejectedCount: 0,
      rejectedByField: new Map(),
      rejectedLines: [],
    };
    const receivedAt = origin.receivedAt.toISOString();
    let chunk: AccessLogRecord[] = [];
    const flush = () => {
      const job = serialiseJob(this.queue, ingestJobData(chunk, receivedAt, origin.source, origin.ingestKeyId));
      batch.jobs.push(job);
      batch.bytes += job.jobData.data.length;
      chunk = [];
    };
    for (const candidate of candidates) {
      batch.received++;
      const result =
        'invalid' in candidate
          ? { ok: false as const, details: candidate.invalid }
          : validateRecord(candidate.value, this.settings.limits, origin.receivedAt);
      if (result.ok) {
        batch.accepted++;
        chunk.push(this.redactor.redact(result.record));
        if (chunk.length === this.settings.jobBatchSize) flush();
      } else {
        reject(batch, candidate, result.details);
      }
      if (slicer.due()) await slicer.yield();
    }
    if (chunk.length > 0) flush();
    return batch;
  }

  /**
   * Queues again, as a batch of its own, a record this constructor accepted before (a dead letter's
   * retry, with its original receivedAt and ingesting key). It was validated and redacted then, and is
   * not again (a hashed client IP hashed twice would change); encoding, backpressure and the one
   * transaction apply as to any job. Throws QueueRefusal having queued nothing.
   */
  async requeue(record: unknown, origin: { receivedAt: string; ingestKeyId: string | null }): Promise<void> {
    const job = serialiseJob(this.queue, ingestJobData([record as AccessLogRecord], origin.receivedAt, 'http', origin.ingestKeyId));
    const batch: PreparedBatch = {
      jobs: [job],
      bytes: job.jobData.data.length,
      received: 1,
      accepted: 1,
      rejected: [],
      rejectedCount: 0,
      rejectedByField: new Map(),
      rejectedLines: [],
    };
    await this.enqueue(batch);
  }

  /** Enqueues a prepared batch whole, or throws QueueRefusal having enqueued nothing of it. */
  async enqueue(batch: PreparedBatch): Promise<void> {
    try {
      await withTimeout(
        this.backpressure.check().then(() => addAllOrNothing(this.queue, batch.jobs)),
        this.settings.enqueueTimeoutMs,
        'enqueue',
      );
      this.backpressure.noteEnqueued(batch.bytes);
    } catch (err) {
      if (err instanceof QueueRefusal) throw err;
      throw new QueueRefusal('queue_unavailable', `The ingest queue is unavailable (${(err as Error).message})`);
    }
  }
}

function reject(batch: PreparedBatch, candidate: Candidate, details: FieldErrors): void {
  batch.rejectedCount++;
  if (batch.rejected.length < REPORTED_REJECTIONS) batch.rejected.push({ index: candidate.index, details });
  if (batch.rejectedLines.length < SAMPLED_REJECTED_LINES) {
    const line = 'line' in candidate ? candidate.line : 'value' in candidate ? candidate.value : undefined;
    batch.rejectedLines.push({ line, details });
  }
  const field = Object.keys(details).sort()[0] ?? 'record';
  batch.rejectedByField.set(field, (batch.rejectedByField.get(field) ?? 0) + 1);
}
