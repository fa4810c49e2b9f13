export { IngestModule } from './ingest.module.js';
export { INGEST_CONFIG } from './ingest.config.js';
