export { IngestModule } from './ingest.module.js';
export type { IngestResult } from './ingest.service.js';
