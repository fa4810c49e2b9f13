import { Module } from '@nestjs/common';
import { DeadLetterRepository } from '#libs/failed-batches';
import { RequestStoreModule } from '#libs/request-store';
import { RollupsModule } from '#libs/rollups';
import { DeadLetterMetrics } from './dead-letter-metrics.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { LogWriterProcessor } from './log-writer.processor.js';

/** Consumes the ingest queue into Postgres and its rollups, parking what Postgres refuses in the dead letter (and keeps partitions ahead, old rollups purged). */
@Module({
  imports: [RequestStoreModule.withPartitionUpkeep(), RollupsModule.withRetention()],
  providers: [LogWriterProcessor, DeadLetterWriter, DeadLetterRepository, DeadLetterMetrics],
})
export class LogWriterModule {}
