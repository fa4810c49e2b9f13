import { Module } from '@nestjs/common';
import { RedactionModule } from '#libs/redaction';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

/** HTTP ingest. The app must create Nest with `bodyParser: false`: this module reads the raw body itself. */
@Module({ imports: [RedactionModule], controllers: [IngestController], providers: [IngestService], exports: [IngestService] })
export class IngestModule {}
