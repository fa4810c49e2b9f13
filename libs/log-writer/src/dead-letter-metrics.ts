import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '#libs/metrics';
import { CONFLICTING_DUPLICATE, RECORD_REFUSAL_REASONS } from '#libs/store';

/**
 * The worker's dead-letter counts, from the dead-letter rows really added: a redelivered job, whose
 * records are parked already, counts nothing twice.
 */
@Injectable()
export class DeadLetterMetrics {
  private readonly deadLettered: Counter;
  private readonly conflicting: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.deadLettered = new Counter({
      name: 'verilock_ingest_records_dead_lettered_total',
      help:
        'Accepted records Postgres refused for their data, parked in the dead letter (GET /v1/admin/dead-letters); ' +
        'reason is the SQLSTATE class.',
      labelNames: ['reason'],
      registers,
    });
    this.conflicting = new Counter({
      name: 'verilock_ingest_records_conflicting_total',
      help:
        'Records with the requestId and timestamp of a stored record but other content: ' +
        'the stored one kept, this one parked in the dead letter.',
      registers,
    });
    for (const reason of RECORD_REFUSAL_REASONS) this.deadLettered.inc({ reason }, 0);
  }

  /**
   * Call with the reason of each record newly parked; returns how many were refused by Postgres,
   * and how many were conflicting duplicates.
   */
  observeParked(reasons: readonly string[]): { deadLettered: number; conflicting: number } {
    let conflicting = 0;
    for (const reason of reasons) {
      if (reason === CONFLICTING_DUPLICATE) {
        conflicting++;
        this.conflicting.inc();
      } else {
        this.deadLettered.inc({ reason });
      }
    }
    return { deadLettered: reasons.length - conflicting, conflicting };
  }
}
