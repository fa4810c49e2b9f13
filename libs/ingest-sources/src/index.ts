export { IngestSourcesModule } from './ingest-sources.module.js';
export { SourceHealth } from './source-health.js';
export type { SourceReport } from './source-health.js';
