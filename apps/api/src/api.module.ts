import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/database';
import { HealthModule } from '#libs/health';
import { IngestModule } from '#libs/ingest';
import { LookupModule } from '#libs/lookup';
import { MetricsModule } from '#libs/metrics';
import { QueueModule } from '#libs/queue';

/** The HTTP API: ingest, lookup, health, metrics. ConfigModule.forRoot() is imported by whoever creates it. */
@Module({ imports: [DatabaseModule, QueueModule.register('producer'), IngestModule, LookupModule, HealthModule, MetricsModule.register('api')] })
export class ApiModule {}
