import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { INGEST_QUEUE, type IngestJobData, IngestJobProducer, PRODUCER_CONFIG, type ProducerConfig, producerSettings } from '#libs/queue';
import { REDACTION_CONFIG, type RedactionConfig } from '#libs/redaction';
import { IngestController } from './ingest.controller.js';
import { IngestMetrics } from './ingest-metrics.js';
import { IngestService } from './ingest.service.js';

const producer = {
  provide: IngestJobProducer,
  inject: [getQueueToken(INGEST_QUEUE), PRODUCER_CONFIG.token, REDACTION_CONFIG.token],
  useFactory: (queue: Queue<IngestJobData>, producer: ProducerConfig, redaction: RedactionConfig) =>
    new IngestJobProducer(queue, producerSettings({ producer, redaction })),
};

/**
 * HTTP ingest and its counters (IngestMetrics, in the app's METRICS_REGISTRY: needs MetricsModule in the app).
 * The app must create Nest with `bodyParser: false`: this module reads the raw body itself.
 */
@Module({ controllers: [IngestController], providers: [producer, IngestService, IngestMetrics], exports: [IngestService] })
export class IngestModule {}
