import { Module } from '@nestjs/common';
import { RequestStoreModule } from '#libs/request-store';
import { RollupsModule } from '#libs/rollups';
import { LogWriterProcessor } from './log-writer.processor.js';

/** Consumes the ingest queue into Postgres and its rollups (and keeps partitions ahead, old rollups purged). */
@Module({ imports: [RequestStoreModule.withPartitionUpkeep(), RollupsModule.withRetention()], providers: [LogWriterProcessor] })
export class LogWriterModule {}
