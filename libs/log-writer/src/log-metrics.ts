import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { type AppRegistry, BatchHistogram, METRICS_REGISTRY, MetricSources } from '#libs/metrics';
import type { StoreResult } from '#libs/store';
import { RequestMetrics } from './request-metrics.js';
import { REQUEST_METRICS_CONFIG, type RequestMetricsConfig } from './request-metrics.config.js';

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
  private readonly writeBatches: Histogram;
  private readonly lag: BatchHistogram;

  constructor(
    @Inject(METRICS_REGISTRY) registry: AppRegistry,
    @Inject(MetricSources) sources: MetricSources,
    @Inject(REQUEST_METRICS_CONFIG.token) config: RequestMetricsConfig,
  ) {
    this.requests = new RequestMetrics(registry, sources, config);
    const registers = [registry];
    this.stored = new Counter({
      name: 'verilock_ingest_records_stored_total',
      help: 'Access-log records newly stored in Postgres.',
      registers,
    });
    this.duplicates = new Counter({
      name: 'verilock_ingest_records_duplicate_total',
      help: 'Records of a batch that were already stored (redelivery or resent record), so skipped.',
      registers,
    });
    this.batches = new Counter({
      name: 'verilock_ingest_batches_total',
      help: 'Batches (queue jobs) the worker stored or failed to store; outcome="failed" ones are retried by BullMQ.',
      labelNames: ['outcome'],
      registers,
    });
    this.writeDuration = new Histogram({
      name: 'verilock_ingest_write_duration_seconds',
      help: 'Time of one write to Postgres (one transaction holding one or more batches), by outcome.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.writeBatches = new Histogram({
      name: 'verilock_ingest_write_batches',
      help: 'Batches one write to Postgres held: more than 1 when batches arrived while Postgres was busy (group commit).',
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32],
      registers,
    });
    this.lag = new BatchHistogram({
      name: 'verilock_ingest_lag_seconds',
      help: 'Stored time minus the record timestamp (when the Verilock API sent the response), per stored record.',
      labelNames: [],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400],
    });
    sources.add(this.lag);
    for (const outcome of ['stored', 'failed']) this.batches.inc({ outcome }, 0);
  }

  /** Times one write of `batches` batches to Postgres; a failure is timed and rethrown. */
  async timeWrite<T>(batches: number, write: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    this.writeBatches.observe(batches);
    try {
      const result = await write();
      this.writeDuration.observe({ outcome: 'stored' }, seconds());
      return result;
    } catch (err) {
      this.writeDuration.observe({ outcome: 'failed' }, seconds());
      throw err;
    }
  }

  /** A batch (queue job) that could not be stored; BullMQ retries it. */
  observeFailed(): void {
    this.batches.inc({ outcome: 'failed' });
  }

  /** Call once per batch after its write committed, with its result: only the inserted rows count. */
  observeStored({ inserted, duplicates }: Pick<StoreResult, 'inserted' | 'duplicates'>): void {
    const now = Date.now();
    this.batches.inc({ outcome: 'stored' });
    this.stored.inc(inserted.length);
    this.duplicates.inc(duplicates);
    const lag = this.lag.cell({});
    for (const row of inserted) lag.observe(Math.max(0, (now - row.sent_at_ms) / 1000));
    this.requests.observe(inserted);
  }
}
