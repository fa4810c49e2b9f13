import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { StoreResult } from '#libs/request-store';
import { type AppRegistry, METRICS_REGISTRY } from './metrics-registry.js';
import { RequestMetrics } from './request-metrics.js';

/**
 * The worker's metrics. Everything is counted from what a committed write really inserted, so a
 * redelivered batch or a resent record never counts twice.
 */
@Injectable()
export class LogMetrics {
  private readonly requests: RequestMetrics;
  private readonly stored: Counter;
  private readonly duplicates: Counter;
  private readonly batches: Counter;
  private readonly writeDuration: Histogram;
  private readonly lag: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: AppRegistry, @Inject(APP_CONFIG) config: AppConfig) {
    this.requests = new RequestMetrics(registry, config.metrics);
    const registers = [registry];
    this.stored = new Counter({ name: 'verilock_ingest_records_stored_total', help: 'Access-log records newly stored in Postgres.', registers });
    this.duplicates = new Counter({
      name: 'verilock_ingest_records_duplicate_total',
      help: 'Records of a batch that were already stored (redelivery or resent record), so skipped.',
      registers,
    });
    this.batches = new Counter({
      name: 'verilock_ingest_batches_total',
      help: 'Batch write attempts by the worker; outcome="failed" attempts are retried by BullMQ.',
      labelNames: ['outcome'],
      registers,
    });
    this.writeDuration = new Histogram({
      name: 'verilock_ingest_write_duration_seconds',
      help: 'Time to write one batch to Postgres (one transaction), by outcome.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lag = new Histogram({
      name: 'verilock_ingest_lag_seconds',
      help: 'Stored time minus the record timestamp (when the Verilock API sent the response), per stored record.',
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400],
      registers,
    });
    for (const outcome of ['stored', 'failed']) this.batches.inc({ outcome }, 0);
  }

  /** Times a batch write; a failure is counted and rethrown so BullMQ retries it. */
  async timeWrite<T>(write: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await write();
      this.writeDuration.observe({ outcome: 'stored' }, seconds());
      this.batches.inc({ outcome: 'stored' });
      return result;
    } catch (err) {
      this.writeDuration.observe({ outcome: 'failed' }, seconds());
      this.batches.inc({ outcome: 'failed' });
      throw err;
    }
  }

  /** Call after the write committed, with its result: only the inserted rows count. */
  observeStored({ inserted, duplicates }: Pick<StoreResult, 'inserted' | 'duplicates'>): void {
    const now = Date.now();
    this.stored.inc(inserted.length);
    this.duplicates.inc(duplicates);
    for (const row of inserted) this.lag.observe(Math.max(0, (now - row.sent_at_ms) / 1000));
    this.requests.observe(inserted);
  }
}
