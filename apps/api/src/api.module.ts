import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/database';
import { HealthModule } from '#libs/health';
import { IngestModule } from '#libs/ingest';
import { LookupModule } from '#libs/lookup';
import { QueueModule } from '#libs/queue';

/** The HTTP API: ingest, lookup, health. ConfigModule.forRoot() is imported by whoever creates it. */
@Module({ imports: [DatabaseModule, QueueModule.register('producer'), IngestModule, LookupModule, HealthModule] })
export class ApiModule {}
