import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, InvalidInput, Unavailable } from '#libs/errors';
import { SourceHealth } from '#libs/ingest-sources';
import type { IngestSource } from '#libs/source-health';
import { type BatchOrigin, type Candidate, IngestJobProducer, QueueRefusal, type RejectedRecord, type TimeSlicer } from '#libs/queue';
import { throttledWarning } from '#libs/redis';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config.js';
import { IngestMetrics } from './ingest-metrics.js';

export interface IngestResult {
  accepted: number;
  /** The first REPORTED_REJECTIONS rejected records; `rejectedCount` counts them all. */
  rejected: RejectedRecord[];
  rejectedCount: number;
}

/** HTTP ingest: candidate records through the one job producer, its outcomes as domain errors and metrics. */
@Injectable()
export class IngestService {
  // While Redis is away every request is refused: one line per 10 s says so, not one per request.
  private readonly warnRefused = throttledWarning(new Logger(IngestService.name));

  constructor(
    private readonly producer: IngestJobProducer,
    @Inject(INGEST_CONFIG.token) private readonly config: IngestConfig,
    private readonly metrics: IngestMetrics,
    private readonly health: SourceHealth,
  ) {}

  /** `source`: the entry point's own name for what it reads (never the client's), for the metrics and the source's health. */
  async ingest(source: IngestSource, candidates: Iterable<Candidate>, origin: BatchOrigin, slicer: TimeSlicer): Promise<IngestResult> {
    const batch = await this.producer.prepare(candidates, origin, slicer).catch((err: unknown) => {
      // Refused whole while its lines were read (NDJSON with no JSON line, past the record limit): why, for the source's admin view.
      if (err instanceof DomainError) this.health.observeRefusedRequest(source, err);
      throw err;
    });
    this.metrics.observeValidated(source, batch.received, batch.rejectedByField);
    this.health.observeValidated(source, batch);
    if (batch.accepted === 0) {
      throw new InvalidInput({ ...flatten(batch.rejected), rejected_count: batch.rejectedCount }, 'No record in the batch is valid.');
    }
    try {
      await this.producer.enqueue(batch);
    } catch (err) {
      if (!(err instanceof QueueRefusal)) throw err;
      this.metrics.observeRefused(source, err.reason, batch.accepted);
      this.health.observeRefused(source, batch.accepted);
      if (err.reason === 'queue_unavailable') this.warnRefused(`enqueue refused: ${err.message}`);
      throw this.unavailable(err);
    }
    this.metrics.observeAccepted(source, batch.accepted);
    this.health.observeAccepted(source, batch.accepted);
    return { accepted: batch.accepted, rejected: batch.rejected, rejectedCount: batch.rejectedCount };
  }

  /** Unavailable (503 + Retry-After over HTTP): nothing of the batch was accepted, so resending it whole is safe. */
  private unavailable(refusal: QueueRefusal): Unavailable {
    const message = `${refusal.message}; nothing from this batch was accepted. Retry later.`;
    return new Unavailable(message, this.config.retryAfterSeconds, refusal.details);
  }
}

/** Per-record field errors as the conventions' flat `details` map: `records[3].status` → messages. */
function flatten(rejected: RejectedRecord[]): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const { index, details: fields } of rejected) {
    for (const [field, messages] of Object.entries(fields)) details[`records[${index}].${field}`] = messages;
  }
  return details;
}
