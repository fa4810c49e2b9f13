export { INGEST_SOURCES, rejectionReason } from './ingest-source.js';
export type { IngestSource } from './ingest-source.js';
export { IngestSourcesModule } from './ingest-sources.module.js';
export { SourceHealth } from './source-health.js';
