import { Inject, Injectable } from '@nestjs/common';
import type { AccessLogRecord } from '#libs/access-log';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { RequestLogPartitions } from '../upkeep/request-log-partitions.js';
import { asInsertedRow, copyInto, copyRows } from './copy-text.js';
import { selectConflictingRecords } from './conflicting-records.sql.js';
import { summariseForRollups } from './rollup-summary.js';
import { INSERT_WITH_ROLLUPS, type InsertedRow, ROLLUPS_OF_SUMMARY, batchParameters } from './write-statements.sql.js';

export interface StoreResult {
  /** Rows this call inserted, in no particular order. */
  inserted: InsertedRow[];
  /** Records that were already stored (redelivery or a resent record, or a conflicting duplicate). */
  duplicates: number;
  /**
   * Of those duplicates, the records whose (requestId, timestamp) is stored with OTHER content: the
   * stored row wins (first wins), and the caller decides what to do with these (the writer parks them).
   */
  conflicting: AccessLogRecord[];
  /** How the batch was written: 'copy' (all new, COPYed whole) or 'insert' (some already stored). */
  via: 'copy' | 'insert';
}

/** One batch (one queue job's records) and when the api accepted it. */
export interface BatchToStore {
  records: AccessLogRecord[];
  /** ISO time the api accepted the batch; stored as received_at. */
  receivedAt: string;
  /** Id of the API key that ingested the batch; stored as ingested_by_key_id (null or absent: unknown). */
  ingestKeyId?: string | null;
}

/** Postgres SQLSTATE for "no partition of relation found for row". */
const NO_PARTITION = '23514';
/** Postgres SQLSTATE for a duplicate key: the batch holds a record already stored. */
const UNIQUE_VIOLATION = '23505';

/** One write of batches into request_logs and the three rollups, in one transaction (steps 2–3 of batch-writer.ts). */
@Injectable()
export class RowsAndRollupsWriter {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly partitions: RequestLogPartitions,
  ) {}

  /** storeBatches for one batch. */
  async storeBatch(records: AccessLogRecord[], receivedAt: string): Promise<StoreResult> {
    return (await this.storeBatches([{ records, receivedAt }]))[0];
  }

  /**
   * Stores batches idempotently, the rollups in the same transaction as the rows, fed only the rows
   * really inserted, so they commit or roll back with them and a redelivery adds nothing.
   *
   * Almost every batch is new, so all of them are first COPYed whole into request_logs (Postgres's
   * fastest load) with the rollups fed a summary of the whole group, in one transaction. If any
   * record is already stored (a redelivered batch, a resent record, a duplicate inside the batch), the
   * primary key rejects the COPY, the transaction rolls back whole, and each batch takes the slow
   * path: one INSERT … ON CONFLICT DO NOTHING statement whose rollups see only the rows it inserted.
   * Returns one result per batch, in order. All or nothing only on the fast path: on the slow path a
   * batch may fail after earlier ones were stored, which is safe to retry since writes are idempotent.
   */
  async storeBatches(batches: readonly BatchToStore[]): Promise<StoreResult[]> {
    await this.ensurePartitionsFor(batches);
    try {
      return await this.insert(batches);
    } catch (err) {
      if ((err as { code?: string }).code !== NO_PARTITION) throw err;
      // A partition this process thought it had was dropped (retention): forget and recreate once.
      this.partitions.forget();
      await this.ensurePartitionsFor(batches);
      return this.insert(batches);
    }
  }

  private async insert(batches: readonly BatchToStore[]): Promise<StoreResult[]> {
    if (await this.copyWhole(batches)) {
      return batches.map(({ records }) => ({ inserted: records.map(asInsertedRow), duplicates: 0, conflicting: [], via: 'copy' }));
    }
    const results: StoreResult[] = [];
    for (const { records, receivedAt, ingestKeyId } of batches) {
      // pool.query, not a checked-out client: the pool handles a connection dying mid-statement
      // (the statement rejects, the connection is discarded) without an unhandled 'error' event.
      const values = batchParameters(records, receivedAt, ingestKeyId ?? null);
      const { rows } = await this.pool.query<InsertedRow>({ ...INSERT_WITH_ROLLUPS, values });
      const duplicates = records.length - rows.length;
      // Only a batch with duplicates can hold a conflicting one: the check costs nothing otherwise.
      const conflicting = duplicates === 0 ? [] : await this.conflictingRecords(records, values[0]);
      results.push({ inserted: rows, duplicates, conflicting, via: 'insert' });
    }
    return results;
  }

  /** The records of a stored batch whose (requestId, timestamp) is stored with other content. */
  private async conflictingRecords(records: AccessLogRecord[], batchJson: string): Promise<AccessLogRecord[]> {
    const { rows } = await this.pool.query<{ index: number }>(selectConflictingRecords(batchJson));
    return rows.map(({ index }) => records[index]);
  }

  /** The fast path: true when every record was new and all are stored; false when some record already was (nothing written). */
  private async copyWhole(batches: readonly BatchToStore[]): Promise<boolean> {
    const client = await this.pool.connect();
    // A connection dying mid-transaction rejects the statement in hand AND emits 'error' on the client,
    // which would crash the process without a listener; the rejection is what gets handled.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await copyInto(
        client,
        batches.map(({ records, receivedAt, ingestKeyId }) => copyRows(records, receivedAt, ingestKeyId ?? null)).join(''),
      );
      await client.query({ ...ROLLUPS_OF_SUMMARY, values: [summariseForRollups(batches.flatMap((b) => b.records))] });
      await client.query('COMMIT');
      return true;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      if (!broken && (err as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw err;
    } finally {
      client.off('error', ignore);
      client.release(broken); // a connection that cannot even roll back is discarded, not reused
    }
  }

  private async ensurePartitionsFor(batches: readonly BatchToStore[]): Promise<void> {
    const days = new Set<string>();
    for (const { records } of batches) for (const r of records) days.add(r.timestamp.slice(0, 10));
    await this.partitions.ensureDays(days);
  }
}
