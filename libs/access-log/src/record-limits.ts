/**
 * What validation allows, chosen so that whatever it accepts Postgres stores, rollups included
 * (docs/limits/records.md explains each; test/accepted-is-storable.test.ts feeds the extremes to
 * the real write path). Lengths of text are in UTF-16 code units (JavaScript's `length`); where
 * Postgres counts bytes (btree index entries) the bound below is 3 bytes of UTF-8 per unit.
 */

/**
 * Longest `durationMs`, one day. The rollups add durations up in float8 per minute cell: even
 * 2^63 records (the bigint `count` overflows first) of one day each sum to ~8e26, far below float8's
 * 1.8e308, so no sum can become Infinity (which the rollups' NOT NULL refused, failing the batch).
 */
export const MAX_DURATION_MS = 86_400_000;

/** Longest `retryAfter`, in seconds (an `integer` column; a day is the useful range). */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * `route`, `error` and `apiKeyId` are keys of btree indexes (the rollups' unique keys and the
 * request_logs (api_key_id, sent_at) index), whose entries Postgres caps at 2704 bytes. At 3 bytes
 * per unit the widest rollup key holds at most (512 + 128 + 128) × 3 = 2304 bytes of text plus ~40
 * of bucket, status, method and headers. The route is checked after it is derived from the path
 * (every id-like segment becomes `:id`, which can make it longer than the path).
 */
export const MAX_ROUTE_LENGTH = 512;
export const MAX_ERROR_CODE_LENGTH = 128;
export const MAX_API_KEY_ID_LENGTH = 128;

/** Unindexed text: no Postgres limit comes near; these keep a record (and a queue job) small. */
export const MAX_PATH_LENGTH = 2048;
export const MAX_MESSAGE_LENGTH = 2048;
export const MAX_USER_AGENT_LENGTH = 512;
export const MAX_CLIENT_IP_LENGTH = 64;

/** `details`: its JSON text in UTF-8 bytes, and how deeply arrays and objects nest (the value itself is level 1). */
export const MAX_DETAILS_BYTES = 16 * 1024;
export const MAX_DETAILS_DEPTH = 32;
