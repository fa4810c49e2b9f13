export { INGEST_QUEUE, INGEST_JOB, ingestJobData, ingestJobOptions, jobRecordCount, jobRecords } from './ingest-queue.js';
export type { IngestJobData } from './ingest-queue.js';
export { QueueModule } from './queue.module.js';
export { addBulkAtomically } from './atomic-enqueue.js';
export { QueueHealth, withTimeout } from './queue-health.js';
export { redisConnection } from './redis-connection.js';
export type { ConnectionRole } from './redis-connection.js';
export { throttledWarning } from './throttled-warning.js';
