import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { DatabaseModule } from '#libs/database';
import { FailedBatchesModule } from '#libs/failed-batches';
import { HealthModule } from '#libs/health';
import { IngestModule } from '#libs/ingest';
import { LookupModule } from '#libs/lookup';
import { QueueModule } from '#libs/queue';
import { RateLimitModule } from '#libs/rate-limit';

/** The HTTP API: ingest, lookup, failed-batch admin, health; every route behind the API-key guard. ConfigModule.forRoot() is imported by whoever creates it. */
@Module({
  imports: [
    DatabaseModule,
    QueueModule.register('producer'),
    AuthModule,
    RateLimitModule,
    IngestModule,
    LookupModule,
    FailedBatchesModule,
    HealthModule,
  ],
})
export class ApiModule {}
