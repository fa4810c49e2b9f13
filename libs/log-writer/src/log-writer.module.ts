import { Module } from '@nestjs/common';
import { RequestStoreModule } from '#libs/request-store';
import { LogWriterProcessor } from './log-writer.processor.js';

/** Consumes the ingest queue into Postgres (and keeps partitions ahead of need). */
@Module({ imports: [RequestStoreModule.withPartitionUpkeep()], providers: [LogWriterProcessor] })
export class LogWriterModule {}
