export { IngestModule } from './ingest.module.js';
export type { IngestResult } from './ingest.service.js';
export { INGEST_CONFIG } from './ingest.config.js';
