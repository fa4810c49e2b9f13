import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { type AppRegistry, METRICS_REGISTRY } from '#libs/metrics';
import { withTimeout } from '#libs/redis';
import { INGEST_QUEUE } from './ingest-queue.js';

const STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed'] as const;
/** A scrape must stay fast even while Redis is away: then the queue gauges are simply absent. */
const COUNT_TIMEOUT_MS = 500;

/**
 * Jobs on the ingest queue by state, read from Redis at scrape time (both apps serve it). Registered
 * when the app has a metrics registry (MetricsModule); an app without one serves no /metrics.
 */
@Injectable()
export class QueueDepthMetrics {
  private inFlight?: Promise<Record<string, number> | null>;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    @Optional() @Inject(METRICS_REGISTRY) registry?: AppRegistry,
  ) {
    if (!registry) return;
    const counts = () => this.counts();
    new Gauge({
      name: 'verilock_ingest_queue_jobs',
      help: 'Batch jobs on the ingest queue, by state, at scrape time (each job holds up to INGEST_JOB_BATCH_SIZE records).',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        const byState = await counts();
        if (byState) for (const state of STATES) this.set({ state }, byState[state] ?? 0);
      },
    });
    new Gauge({
      name: 'verilock_ingest_queue_reachable',
      help: `1 when the ingest queue's job counts could be read from Redis within ${COUNT_TIMEOUT_MS} ms at scrape time, else 0.`,
      registers: [registry],
      async collect() {
        this.set((await counts()) ? 1 : 0);
      },
    });
  }

  /** One Redis round trip per scrape, shared by both gauges. */
  private counts(): Promise<Record<string, number> | null> {
    this.inFlight ??= withTimeout(this.queue.getJobCounts(...STATES), COUNT_TIMEOUT_MS, 'queue job counts')
      .catch(() => null)
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }
}
