export { IngestModule } from './ingest.module.js';
export { IngestService } from './ingest.service.js';
export type { IngestResult } from './ingest.service.js';
export { parseBatch } from './parse-batch.js';
export type { ParsedBatch } from './parse-batch.js';
