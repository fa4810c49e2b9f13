import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/database';
import { HealthModule } from '#libs/health';
import { IngestModule } from '#libs/ingest';
import { LookupModule } from '#libs/lookup';
import { QueueModule } from '#libs/queue';
import { SupportPageModule } from '#libs/support-page';

/** The HTTP API: ingest, lookup, health, the support page. ConfigModule.forRoot() is imported by whoever creates it. */
@Module({ imports: [DatabaseModule, QueueModule.register('producer'), IngestModule, LookupModule, HealthModule, SupportPageModule] })
export class ApiModule {}
