import { getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type ConnectionRole, REDIS_CONFIG, type RedisConfig, throttledWarning } from '#libs/redis';
import { INGEST_QUEUE } from './ingest-queue.js';
import { createIngestQueue, ingestQueueSettings } from './queue-factory.js';
import { QueueDepthMetrics } from './queue-depth-metrics.js';
import { QueueHealth } from './queue-health.js';
import { QUEUE_CONFIG, type QueueConfig } from './queue.config.js';
import { REDACTION_CONFIG, type RedactionConfig } from '#libs/redaction';
import { IngestJobProducer, producerSettings } from './ingest-job-producer.js';
import type { IngestJobData } from './ingest-queue.js';
import { PRODUCER_CONFIG, type ProducerConfig } from './producer.config.js';

const INGEST_QUEUE_TOKEN = getQueueToken(INGEST_QUEUE);

/** Closes the ingest queue's connection when the app shuts down (after the worker has finished its jobs). */
@Injectable()
class IngestQueueShutdown implements OnApplicationShutdown {
  constructor(@Inject(INGEST_QUEUE_TOKEN) private readonly queue: Queue) {}

  onApplicationShutdown(): Promise<void> {
    return this.queue.close();
  }
}

/** The one job constructor of an app that produces jobs (HTTP ingest, dead-letter retries). */
const producer = {
  provide: IngestJobProducer,
  inject: [INGEST_QUEUE_TOKEN, PRODUCER_CONFIG.token, REDACTION_CONFIG.token],
  useFactory: (queue: Queue<IngestJobData>, settings: ProducerConfig, redaction: RedactionConfig) =>
    new IngestJobProducer(queue, producerSettings({ producer: settings, redaction })),
};

/**
 * The ingest queue for an app, built by createIngestQueue like every other producer's, under
 * @nestjs/bullmq's token (so `@InjectQueue(INGEST_QUEUE)` works); `role` picks fail-fast (producer)
 * or patient (consumer) connections; its depth gauges go into the app's metrics registry, if any.
 */
@Module({})
export class QueueModule {
  static register(role: ConnectionRole): DynamicModule {
    const queue = {
      provide: INGEST_QUEUE_TOKEN,
      inject: [REDIS_CONFIG.token, QUEUE_CONFIG.token],
      useFactory: (redis: RedisConfig, queue: QueueConfig) => {
        const warn = throttledWarning(new Logger('IngestQueue'));
        return createIngestQueue(ingestQueueSettings({ redis, queue }), role, (err) => warn(`queue connection: ${err.message}`));
      },
    };
    // Only an app that produces jobs has the producer (and the producer's and redaction's settings).
    const producing = role === 'producer' ? [producer] : [];
    return {
      module: QueueModule,
      global: true,
      providers: [queue, IngestQueueShutdown, QueueHealth, QueueDepthMetrics, ...producing],
      exports: [queue, QueueHealth, ...producing],
    };
  }
}
