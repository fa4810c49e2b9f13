import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { DatabaseModule } from '#libs/database';
import { FailedBatchesModule } from '#libs/failed-batches';
import { HealthModule } from '#libs/health';
import { IngestModule } from '#libs/ingest';
import { LookupModule } from '#libs/lookup';
import { MetricsModule } from '#libs/metrics';
import { QueueModule } from '#libs/queue';
import { RateLimitModule } from '#libs/rate-limit';
import { SearchModule } from '#libs/search';
import { SupportPageModule } from '#libs/support-page';

/**
 * The HTTP API: ingest, lookup, search, the support page, failed-batch admin, health, metrics; every
 * route behind the API-key guard, then the rate limit's (global guards run in import order: AuthModule
 * first). ConfigModule.forRoot() is imported by whoever creates it.
 */
@Module({
  imports: [
    DatabaseModule.withStatementTimeout(),
    QueueModule.register('producer'),
    AuthModule,
    RateLimitModule,
    IngestModule,
    LookupModule,
    SearchModule,
    SupportPageModule,
    FailedBatchesModule,
    HealthModule,
    MetricsModule.register('api'),
  ],
})
export class ApiModule {}
