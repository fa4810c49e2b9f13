import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/database';
import { HealthModule } from '#libs/health';
import { IngestModule } from '#libs/ingest';
import { LookupModule } from '#libs/lookup';
import { MetricsModule } from '#libs/metrics';
import { QueueModule } from '#libs/queue';
import { SearchModule } from '#libs/search';
import { SupportPageModule } from '#libs/support-page';

/** The HTTP API: ingest, lookup, search, the support page, health, metrics. ConfigModule.forRoot() is imported by whoever creates it. */
@Module({
  imports: [
    DatabaseModule,
    QueueModule.register('producer'),
    IngestModule,
    LookupModule,
    SearchModule,
    SupportPageModule,
    HealthModule,
    MetricsModule.register('api'),
  ],
})
export class ApiModule {}
