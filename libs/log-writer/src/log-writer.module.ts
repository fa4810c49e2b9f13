import { Module } from '@nestjs/common';
import { StoreModule } from '#libs/store';
import { DeadLetterMetrics } from './dead-letter-metrics.js';
import { LogMetrics } from './log-metrics.js';
import { LogWriterProcessor } from './log-writer.processor.js';

/**
 * Consumes the ingest queue into the store's writer (rows, rollups, dead letter; partitions and retention kept by the store),
 * and records the write and request metrics in the app's METRICS_REGISTRY (needs MetricsModule in the app).
 */
@Module({
  imports: [StoreModule.forWriter()],
  // Metric sets first, in the order their families have always appeared on the worker's /metrics.
  providers: [DeadLetterMetrics, LogMetrics, LogWriterProcessor],
})
export class LogWriterModule {}
