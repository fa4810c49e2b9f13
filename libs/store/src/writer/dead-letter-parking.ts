import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AccessLogRecord } from '#libs/access-log';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import type { RefusedRecord } from './record-isolation.js';
import { recordRefusalReason } from './write-errors.js';
import { STORE_CONFIG, type StoreConfig } from '../store.config.js';

/** The reason of a record parked for conflicting with a stored one (same requestId and timestamp, other content). */
export const CONFLICTING_DUPLICATE = 'conflicting_duplicate';

const CONFLICT_MESSAGE =
  'A record with this requestId and timestamp but other content was stored first; it was kept and this one was not stored.';

const DAY_MS = 86_400_000;

/**
 * A parked record is identified by the SHA-256 of its JSON (`record_hash`, unique): parking the same
 * record again, as a redelivered job does, adds nothing, and RETURNING gives back only the rows really
 * added, which the worker counts. (The admin reads of dead_letter_records live in libs/failed-batches.)
 */
const PARK_RECORDS_SQL = `
INSERT INTO dead_letter_records (record_hash, request_id, sent_at, record, reason, sqlstate, message, job_id, received_at, ingest_key_id)
SELECT decode(e.hash, 'hex'), e."requestId", e."sentAt", e.record, e.reason, e.sqlstate, e.message, e."jobId",
       e."receivedAt", e."ingestKeyId"
FROM json_to_recordset($1::json) AS e(hash text, "requestId" text, "sentAt" text, record text, reason text, sqlstate text,
     message text, "jobId" text, "receivedAt" timestamptz, "ingestKeyId" text)
ON CONFLICT (record_hash) DO NOTHING
RETURNING reason`;

/** Retention: parked records first seen before $1 (served by the first_seen_at index). */
const PURGE_BEFORE_SQL = `DELETE FROM dead_letter_records WHERE first_seen_at < $1`;

/** The job a parked record came from. */
export interface ParkedFrom {
  jobId: string | null;
  receivedAt: string;
  ingestKeyId: string | null;
}

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text copied from a refused record into a text column: bounded, with no NUL or lone surrogate (Postgres text holds neither). */
function storableText(value: unknown, maxLength: number): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.slice(0, maxLength).replace(UNSTORABLE, '\uFFFD');
}

/**
 * Parks what a batch could not store in the dead letter, each record with why (step 4 of
 * batch-writer.ts). The dead letter is kept as long as raw rows (RETENTION_DAYS, by first_seen_at):
 * the table only grows when records are parked, so each parking first deletes what is past retention,
 * and no client (say, one sending conflicting duplicates) can grow it for ever.
 */
@Injectable()
export class DeadLetterParking {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(STORE_CONFIG.token) private readonly config: StoreConfig,
  ) {}

  /** Returns the reason of each record newly parked (none for a redelivered job's records, parked already). */
  async park(from: ParkedFrom, refused: readonly RefusedRecord[], conflicting: readonly AccessLogRecord[]): Promise<string[]> {
    if (refused.length === 0 && conflicting.length === 0) return [];
    await this.pool.query(PURGE_BEFORE_SQL, [new Date(Date.now() - this.config.retentionDays * DAY_MS)]);
    const entries = [
      ...refused.map(({ record, error }) => ({
        record,
        reason: recordRefusalReason(error),
        sqlstate: error.code ?? null,
        message: error.message,
      })),
      ...conflicting.map((record) => ({ record, reason: CONFLICTING_DUPLICATE, sqlstate: null, message: CONFLICT_MESSAGE })),
    ];
    const rows = entries.map((e) => {
      // JSON.stringify escapes NUL and lone surrogates: the text is always storable, and parsed back whole.
      const record = JSON.stringify(e.record);
      const fields = (e.record ?? {}) as { requestId?: unknown; timestamp?: unknown };
      return {
        hash: createHash('sha256').update(record).digest('hex'),
        requestId: storableText(fields.requestId, 256),
        sentAt: storableText(fields.timestamp, 64),
        record,
        reason: e.reason,
        sqlstate: e.sqlstate,
        message: storableText(e.message, 2000),
        jobId: storableText(from.jobId, 256),
        receivedAt: from.receivedAt,
        ingestKeyId: storableText(from.ingestKeyId, 256),
      };
    });
    const { rows: added } = await this.pool.query<{ reason: string }>(PARK_RECORDS_SQL, [JSON.stringify(rows)]);
    return added.map((r) => r.reason);
  }
}
