import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { INGEST_SOURCES, type IngestSource, rejectionReason } from '#libs/source-health';
import { type AppRegistry, METRICS_REGISTRY } from '#libs/metrics';

/**
 * The api's ingest counters per `source` (the entry point and format: INGEST_SOURCES, fixed by our code,
 * so no client can add a series): records received, accepted onto the queue, and rejected by reason.
 */
@Injectable()
export class IngestMetrics {
  private readonly received: Counter;
  private readonly accepted: Counter;
  private readonly rejected: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: AppRegistry) {
    const registers = [registry];
    this.received = new Counter({
      name: 'verilock_ingest_records_received_total',
      help: 'Candidate records received in ingest requests whose body could be parsed.',
      labelNames: ['source'],
      registers,
    });
    this.accepted = new Counter({
      name: 'verilock_ingest_records_accepted_total',
      help: 'Records validated and enqueued for storage.',
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'verilock_ingest_records_rejected_total',
      help:
        'Records not accepted, by reason: the first invalid field, malformed_json, ' +
        'backlog_full (503: a backpressure limit) or queue_unavailable (503: Redis away).',
      labelNames: ['source', 'reason'],
      registers,
    });
    // Every source's series exists from the start at 0, so increase() sees a source's first records.
    for (const source of INGEST_SOURCES) {
      this.received.inc({ source }, 0);
      this.accepted.inc({ source }, 0);
    }
  }

  /**
   * One ingest request's records after validation. `rejectedByField` counts the rejected records by
   * their first invalid field (the validator's fixed set, so the label stays bounded).
   */
  observeValidated(source: IngestSource, received: number, rejectedByField: ReadonlyMap<string, number>): void {
    this.received.inc({ source }, received);
    for (const [field, records] of rejectedByField) this.rejected.inc({ source, reason: rejectionReason(field) }, records);
  }

  /** Valid records the queue took. */
  observeAccepted(source: IngestSource, records: number): void {
    this.accepted.inc({ source }, records);
  }

  /**
   * The queue refused a whole batch (503): its valid records were not accepted after all, because a
   * backpressure limit was reached (`backlog_full`) or Redis was away (`queue_unavailable`). So
   * received = accepted + rejected, always.
   */
  observeRefused(source: IngestSource, reason: 'backlog_full' | 'queue_unavailable', records: number): void {
    this.rejected.inc({ source, reason }, records);
  }
}
