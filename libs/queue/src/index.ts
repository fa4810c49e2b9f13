export { INGEST_QUEUE, INGEST_JOB, ingestJobData, jobRecordCount, jobRecords } from './ingest-queue.js';
export type { IngestJobData } from './ingest-queue.js';
export { IngestJobProducer, REPORTED_REJECTIONS, producerSettings } from './ingest-job-producer.js';
export type { BatchOrigin, Candidate, PreparedBatch, ProducerSettings, RejectedRecord } from './ingest-job-producer.js';
export { QueueRefusal } from './queue-refusal.js';
export { TimeSlicer } from './time-slicer.js';
export { createIngestQueue, createIngestWorker, ingestQueueSettings } from './queue-factory.js';
export { QueueModule } from './queue.module.js';
export { QueueHealth } from './queue-health.js';
