import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { DatabaseModule } from '#libs/database';
import { HealthModule } from '#libs/health';
import { LogWriterModule } from '#libs/log-writer';
import { MetricsModule } from '#libs/metrics';
import { QueueModule } from '#libs/queue';

/**
 * The worker: consumes the ingest queue into Postgres; a small HTTP listener serves health and metrics,
 * behind the same API-key guard as the api (open unless HEALTH_REQUIRE_KEY / METRICS_REQUIRE_KEY).
 */
@Module({
  imports: [DatabaseModule, AuthModule, QueueModule.register('consumer'), LogWriterModule, HealthModule, MetricsModule.register('worker')],
})
export class WorkerModule {}
