import { type DefaultJobOptions, Queue } from 'bullmq';
import { type IngestJobData, INGEST_QUEUE } from './ingest-queue.js';
import { type ConnectionRole, redisConnection } from './redis-connection.js';

export interface IngestQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix (the service's QUEUE_PREFIX). */
  prefix: string;
  role: ConnectionRole;
  defaultJobOptions?: DefaultJobOptions;
}

/**
 * The one place an ingest Queue is built (the api's Nest module, the shipper's queue sink, the CLIs), so
 * every producer talks to the same keys with the same connection rules. Connection errors are
 * reported to `onError` (by default ignored): without a listener an 'error' event would crash the
 * process, or the application the shipper runs in, while Redis is away.
 */
export function createIngestQueue(options: IngestQueueOptions, onError: (err: Error) => void = () => undefined): Queue<IngestJobData> {
  const queue = new Queue<IngestJobData>(INGEST_QUEUE, {
    connection: redisConnection(options.redisUrl, options.role),
    prefix: options.prefix,
    defaultJobOptions: options.defaultJobOptions,
  });
  queue.on('error', onError);
  return queue;
}
