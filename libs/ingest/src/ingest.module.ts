import { Module } from '@nestjs/common';
import { IngestController } from './ingest.controller.js';
import { IngestMetrics } from './ingest-metrics.js';
import { IngestService } from './ingest.service.js';

/**
 * HTTP ingest and its counters; the job producer comes from QueueModule.register('producer').
 * (IngestMetrics, in the app's METRICS_REGISTRY: needs MetricsModule in the app).
 * The app must create Nest with `bodyParser: false`: this module reads the raw body itself.
 */
@Module({ controllers: [IngestController], providers: [IngestService, IngestMetrics], exports: [IngestService] })
export class IngestModule {}
