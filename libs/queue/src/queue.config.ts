import { defineConfigSlice, nonNegativeInt, positiveInt, type SliceValue } from '#libs/config';

/**
 * Job settings of the ingest queue, shared with producers outside the service (the log shipper's
 * queue sink) so their jobs retry and expire like the api's.
 */
export const QUEUE_DEFAULTS = {
  jobAttempts: 12,
  jobBackoffMs: 1000,
  // Completed jobs keep their whole batch in Redis memory (and in every AOF rewrite): none by default.
  keepCompleted: 0,
} as const;

/** How BullMQ retries and keeps ingest jobs (see ingestJobOptions). */
export const QUEUE_CONFIG = defineConfigSlice({
  key: 'queue',
  variables: {
    JOB_ATTEMPTS: positiveInt.default(QUEUE_DEFAULTS.jobAttempts),
    JOB_BACKOFF_MS: positiveInt.default(QUEUE_DEFAULTS.jobBackoffMs),
    JOB_KEEP_COMPLETED: nonNegativeInt.default(QUEUE_DEFAULTS.keepCompleted),
  },
  build: (env) => ({ jobAttempts: env.JOB_ATTEMPTS, jobBackoffMs: env.JOB_BACKOFF_MS, keepCompleted: env.JOB_KEEP_COMPLETED }),
});
export type QueueConfig = SliceValue<typeof QUEUE_CONFIG>;
