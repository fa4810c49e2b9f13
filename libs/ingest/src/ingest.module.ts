import { Module } from '@nestjs/common';
import { IngestSourcesModule } from '#libs/ingest-sources';
import { IngestController } from './ingest.controller.js';
import { IngestMetrics } from './ingest-metrics.js';
import { IngestService } from './ingest.service.js';
import { OtlpLogsController } from './otlp-logs.controller.js';

/**
 * HTTP ingest (our records at /v1/logs, OTLP at /otlp/v1/logs), its counters and its health per source
 * (IngestSourcesModule, with GET /v1/admin/ingest/sources);
 * the job producer comes from QueueModule.register('producer').
 * (IngestMetrics, in the app's METRICS_REGISTRY: needs MetricsModule in the app).
 * The app must create Nest with `bodyParser: false`: this module reads the raw body itself.
 */
@Module({
  imports: [IngestSourcesModule],
  controllers: [IngestController, OtlpLogsController],
  providers: [IngestService, IngestMetrics],
  exports: [IngestService],
})
export class IngestModule {}
