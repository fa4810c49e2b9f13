/**
 * The write side of the store: how one queued batch becomes rows and counts, exactly once.
 *
 * THE INVARIANT. Every accepted record ends up either as one row of request_logs, counted once in
 * each of the three per-minute rollups, or as one row of dead_letter_records saying why it is not
 * stored; never both, never twice, however often the batch is delivered. Each step keeps it so:
 *
 * 1. Group commit (group-commit.ts): batches arriving while every write slot is busy are written
 *    together, but each keeps its own result or error, so a job completes or fails on its records only.
 * 2. One transaction per write (rows-and-rollups.writer.ts): the rows and every rollup they add commit
 *    together or not at all. Fast path: COPY the whole group (copy-text.ts), then the rollups from the
 *    worker's per-minute summary of the same records (rollup-summary.ts, rollup-writes.sql.ts).
 * 3. Idempotent fallback: if any record is stored already (redelivery, resent record), the primary
 *    key refuses the COPY, it rolls back whole, and each batch becomes ONE statement
 *    (write-statements.sql.ts): INSERT … ON CONFLICT DO NOTHING RETURNING, whose rollups read only the
 *    rows it returned, so a row already stored counts nothing. Records whose key is stored with other
 *    content are the conflicting duplicates (conflicting-records.sql.ts): the stored row wins.
 * 4. Record isolation (record-isolation.ts): a write Postgres refuses for some record's data
 *    (write-errors.ts) is split in halves down to the record; every part stored is an ordinary step-2/3
 *    write, and the records refused alone are what is left.
 * 5. Dead-letter parking (dead-letter-parking.ts): refused records and conflicting duplicates are
 *    parked with their reason, keyed by the hash of their JSON, so parking them again adds nothing.
 * Any other failure (the database away) rejects: the caller fails the job and BullMQ retries it;
 * what was stored before is a duplicate then, so nothing is written or counted twice.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DeadLetterParking, type ParkedFrom } from './dead-letter-parking.js';
import { GroupCommit } from './group-commit.js';
import { type RefusedRecord, storeIsolating } from './record-isolation.js';
import { type BatchToStore, RowsAndRollupsWriter, type StoreResult } from './rows-and-rollups.writer.js';
import { refusedForARecord, refusedForItsData } from './write-errors.js';
import { STORE_CONFIG, type StoreConfig } from '../store.config.js';

/** Times one group write of `batches` batches (the worker's write metrics); must return write's result. */
export type GroupWriteTimer = <T>(batches: number, write: () => Promise<T>) => Promise<T>;

/** A batch as it left the queue: its records, and the job they came from (for the dead letter). */
export interface QueuedBatch extends BatchToStore {
  jobId: string | null;
}

/** What a batch's write did: rows added, records already stored, and the reason of each record newly parked. */
export interface BatchWritten {
  inserted: number;
  duplicates: number;
  parked: string[];
}

@Injectable()
export class BatchWriter {
  private readonly groupCommit: GroupCommit;
  private timeGroupWrite: GroupWriteTimer = (_batches, write) => write();

  constructor(
    rows: RowsAndRollupsWriter,
    private readonly deadLetters: DeadLetterParking,
    @Inject(STORE_CONFIG.token) config: StoreConfig,
  ) {
    const { writesInFlight, maxWriteRecords } = config;
    this.groupCommit = new GroupCommit((batches) => this.timeGroupWrite(batches.length, () => rows.storeBatches(batches)), {
      writesInFlight,
      maxRecords: maxWriteRecords,
      mayBeOneBatch: refusedForItsData,
    });
  }

  /** The consumer's metrics time each group write (the store knows no metrics). */
  timeGroupWritesWith(timer: GroupWriteTimer): void {
    this.timeGroupWrite = timer;
  }

  /**
   * Steps 1–5 for one batch. Each committed part's result is pushed to `stored` as soon as it commits,
   * also when the batch then fails, so the caller counts exactly what was stored.
   */
  async write(batch: QueuedBatch, stored: StoreResult[]): Promise<BatchWritten> {
    let refused: RefusedRecord[] = [];
    try {
      stored.push(await this.groupCommit.store(batch));
    } catch (err) {
      if (!refusedForARecord(err)) throw err;
      refused = await storeIsolating(batch, err, (part) => this.groupCommit.store(part), stored);
    }
    const from: ParkedFrom = { jobId: batch.jobId, receivedAt: batch.receivedAt, ingestKeyId: batch.ingestKeyId ?? null };
    const parked = await this.deadLetters.park(
      from,
      refused,
      stored.flatMap((r) => r.conflicting),
    );
    const { inserted, duplicates } = mergeStored(stored);
    return { inserted: inserted.length, duplicates, parked };
  }
}

/** One result for the parts of a batch stored one by one. */
export function mergeStored(results: readonly StoreResult[]): Pick<StoreResult, 'inserted' | 'duplicates'> {
  return results.length === 1
    ? results[0]
    : { inserted: results.flatMap((r) => r.inserted), duplicates: results.reduce((n, r) => n + r.duplicates, 0) };
}
