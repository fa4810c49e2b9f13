import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/database';
import { HealthModule } from '#libs/health';
import { LogWriterModule } from '#libs/log-writer';
import { MetricsModule } from '#libs/metrics';
import { QueueModule } from '#libs/queue';

/** The worker: consumes the ingest queue into Postgres; a small HTTP listener serves health and metrics. */
@Module({ imports: [DatabaseModule, QueueModule.register('consumer'), LogWriterModule, HealthModule, MetricsModule.register('worker')] })
export class WorkerModule {}
