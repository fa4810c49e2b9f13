import { Module } from '@nestjs/common';
import { StoreModule } from '#libs/store';
import { DeadLetterMetrics } from './dead-letter-metrics.js';
import { LogWriterProcessor } from './log-writer.processor.js';

/** Consumes the ingest queue into the store's writer (rows, rollups, dead letter; partitions and retention kept by the store). */
@Module({
  imports: [StoreModule.forWriter()],
  providers: [LogWriterProcessor, DeadLetterMetrics],
})
export class LogWriterModule {}
