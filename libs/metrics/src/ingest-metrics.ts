import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { type AppRegistry, METRICS_REGISTRY } from './metrics-registry.js';

/** The api's ingest counters: records received, accepted onto the queue, and rejected by reason. */
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
      help: 'Records not accepted, by reason: the first invalid field, malformed_json, or queue_unavailable (503).',
      labelNames: ['reason'],
      registers,
    });
  }

  /**
   * One ingest request's records after validation. `invalidFields` lists, per rejected record, its
   * invalid fields (the validator's fixed set, so the label stays bounded).
   */
  observeValidated(source: string, received: number, invalidFields: string[][]): void {
    this.received.inc({ source }, received);
    for (const fields of invalidFields) this.rejected.inc({ reason: reasonOf(fields) });
  }

  /** Valid records the queue took. */
  observeAccepted(source: string, records: number): void {
    this.accepted.inc({ source }, records);
  }

  /** The queue refused a whole batch (503): its valid records were not accepted after all. */
  observeEnqueueFailure(records: number): void {
    this.rejected.inc({ reason: 'queue_unavailable' }, records);
  }
}

/** Why a record was not accepted: its first invalid field (alphabetically), `line` being malformed JSON. */
function reasonOf(fields: string[]): string {
  const first = [...fields].sort()[0];
  if (first === undefined) return 'invalid';
  return first === 'line' ? 'malformed_json' : first;
}
