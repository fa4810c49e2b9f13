import { z } from 'zod';
import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

export const DATABASE_CONFIG = defineConfigSlice({
  key: 'database',
  variables: {
    DATABASE_URL: z.string().url(),
    // A streaming replica for the api's query side (lookups, search, error rates, spikes); unset: the primary.
    DATABASE_READ_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    // Every statement of the api (reads for support staff and dashboards) is cancelled by Postgres after this
    // long and answered 503: a hostile or careless query cannot hold a connection. Never the worker's writes.
    API_QUERY_TIMEOUT_MS: positiveInt.max(600_000).default(5000),
  },
  build: (env) => ({
    url: env.DATABASE_URL,
    readUrl: env.DATABASE_READ_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    apiQueryTimeoutMs: env.API_QUERY_TIMEOUT_MS,
  }),
});
export type DatabaseConfig = SliceValue<typeof DATABASE_CONFIG>;
