import { Module } from '@nestjs/common';
import { IngestSourcesController } from './ingest-sources.controller.js';
import { SourceHealth } from './source-health.js';

/**
 * Ingest health per source: SourceHealth for the ingest entry points to report to, and
 * GET /v1/admin/ingest/sources. Needs the app's config with the redis and redaction slices, and AuthModule.
 */
@Module({ controllers: [IngestSourcesController], providers: [SourceHealth], exports: [SourceHealth] })
export class IngestSourcesModule {}
