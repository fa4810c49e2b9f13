import type { AccessLogRecord } from '#libs/access-log';
import type { BatchToStore, StoreResult } from './rows-and-rollups.writer.js';
import { refusedForARecord } from './write-errors.js';
import type { DatabaseError } from 'pg';

/** A record Postgres refused on its own, with its refusal. */
export interface RefusedRecord {
  record: AccessLogRecord;
  error: DatabaseError;
}

/**
 * Stores what Postgres accepts of a batch it refused for the data of some record in it (`refusal`):
 * the records are split in halves, and each half refused again is split again, down to single
 * records, which are returned as refused. Every stored part is one ordinary idempotent write (its
 * rows and rollups in one transaction), pushed to `stored` as soon as it commits, so each record of
 * the batch is stored exactly once or refused. One bad record among n costs about 2·log2(n) writes.
 * Any other failure (the database away) rejects at once: the job fails and BullMQ retries it, and
 * the parts already stored are duplicates then.
 */
export async function storeIsolating(
  batch: BatchToStore,
  refusal: DatabaseError,
  write: (part: BatchToStore) => Promise<StoreResult>,
  stored: StoreResult[],
): Promise<RefusedRecord[]> {
  const refused: RefusedRecord[] = [];
  const split = async (records: AccessLogRecord[], error: DatabaseError): Promise<void> => {
    if (records.length <= 1) {
      if (records[0]) refused.push({ record: records[0], error });
      return;
    }
    const middle = Math.ceil(records.length / 2);
    for (const part of [records.slice(0, middle), records.slice(middle)]) {
      try {
        stored.push(await write({ ...batch, records: part }));
      } catch (err) {
        if (!refusedForARecord(err)) throw err;
        await split(part, err);
      }
    }
  };
  await split(batch.records, refusal);
  return refused;
}
