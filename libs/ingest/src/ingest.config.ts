import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/** HTTP ingest's limits on one request and what it tells a client to wait when the queue refuses. */
export const INGEST_CONFIG = defineConfigSlice({
  key: 'ingest',
  variables: {
    INGEST_MAX_BODY_BYTES: positiveInt.default(10 * 1024 * 1024),
    INGEST_RETRY_AFTER_SECONDS: positiveInt.default(5),
    // Bounds the work and memory of one request whatever its records look like (a 10 MiB body of valid
    // records holds ~35k–95k of them).
    INGEST_MAX_RECORDS_PER_REQUEST: positiveInt.default(100_000),
  },
  build: (env) => ({
    maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
    retryAfterSeconds: env.INGEST_RETRY_AFTER_SECONDS,
    maxRecordsPerRequest: env.INGEST_MAX_RECORDS_PER_REQUEST,
  }),
});
export type IngestConfig = SliceValue<typeof INGEST_CONFIG>;
