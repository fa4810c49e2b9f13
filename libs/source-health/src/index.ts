export { INGEST_SOURCES, rejectionReason } from './ingest-source.js';
export type { IngestSource } from './ingest-source.js';
export { REJECTED_LINE_MAX_BYTES, SourceHealthRecorder } from './source-health.recorder.js';
export type { RejectedLineEntry } from './source-health.recorder.js';
export { REJECTED_LINES_PER_SOURCE, SourceHealthStore } from './source-health.store.js';
