import { Inject, Injectable } from '@nestjs/common';
import type { AccessLogRecord } from '#libs/access-log';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { asInsertedRow, copyInto, copyRows } from './copy-request-logs.js';
import { selectConflictingRecords } from './conflicting-records.sql.js';
import type { DerivedWrites } from './derived-writes.js';
import { InsertedRow, batchParameters, derivedWritesOfSummary, insertWithDerivedWrites } from './insert-request-logs.sql.js';
import { type RequestSummaryRow, type StoredRequestRow, selectByRequestId, selectKeyNeighborsAfter, selectKeyNeighborsBefore } from './lookup-queries.sql.js';
import { utcDay } from './utc-day.js';

export interface StoreResult {
  /** Rows this call inserted, in no particular order. */
  inserted: InsertedRow[];
  /** Records that were already stored (redelivery or a resent record, or a conflicting duplicate). */
  duplicates: number;
  /**
   * Of those duplicates, the records whose (requestId, timestamp) is stored with OTHER content: the
   * stored row wins (first wins), and the caller decides what to do with these (the worker parks them).
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

/** All SQL touching request_logs. */
@Injectable()
export class RequestLogRepository {
  /** Days known to have a partition; only ever grows, and is cleared if Postgres says otherwise. */
  private readonly knownPartitions = new Set<string>();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Stores a batch idempotently. The `derived` writes (rollups, see DerivedWrites) run in the same
   * transaction, fed only the rows really inserted, so anything derived from them commits or rolls
   * back with them and a redelivery adds nothing.
   *
   * Almost every batch is new, so it is first COPYed whole into request_logs (Postgres's fastest
   * load) with the derived writes fed a summary of the whole batch, in one transaction. If any record is already stored (a redelivered
   * batch, a resent record, a duplicate inside the batch), the primary key rejects the COPY, the
   * transaction rolls back whole, and the batch takes the slow path: one INSERT … ON CONFLICT DO
   * NOTHING statement whose derived writes see only the rows it inserted.
   */
  async storeBatch(records: AccessLogRecord[], receivedAt: string, derived?: DerivedWrites): Promise<StoreResult> {
    return (await this.storeBatches([{ records, receivedAt }], derived))[0]!;
  }

  /**
   * storeBatch for several batches at once (the worker's group commit): all of them in one COPY and
   * one transaction when every record is new, each on its own by the slow path otherwise. Returns
   * one result per batch, in order. All or nothing only on the fast path: on the slow path a batch
   * may fail after earlier ones were stored, which is safe to retry since writes are idempotent.
   */
  async storeBatches(batches: readonly BatchToStore[], derived?: DerivedWrites): Promise<StoreResult[]> {
    await this.ensurePartitionsFor(batches);
    try {
      return await this.insert(batches, derived);
    } catch (err) {
      if ((err as { code?: string }).code !== NO_PARTITION) throw err;
      // A partition this process thought it had was dropped (retention): forget and recreate once.
      this.knownPartitions.clear();
      await this.ensurePartitionsFor(batches);
      return this.insert(batches, derived);
    }
  }

  /** Creates the daily partitions from `from` for `days` days; returns how many were new. */
  async ensurePartitions(from: Date, days: number): Promise<number> {
    let created = 0;
    for (let i = 0; i < days; i++) {
      const day = utcDay(new Date(from.getTime() + i * 86_400_000));
      if (await this.ensurePartition(day)) created++;
    }
    return created;
  }

  /**
   * Retention: drops every daily partition whose whole day is before `cutoffDay` (YYYY-MM-DD), under
   * the same advisory lock as partition creation. Dropping a partition is instant and leaves no
   * bloat, unlike DELETE. Returns the names of the dropped partitions.
   */
  async dropPartitionsBefore(cutoffDay: string): Promise<string[]> {
    const client = await this.pool.connect();
    const dropped: string[] = [];
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('request_logs_partitions'))`);
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = 'request_logs' ORDER BY 1`,
      );
      for (const { name } of rows) {
        const day = partitionDay(name);
        if (day === undefined || day >= cutoffDay) continue;
        await client.query(`DROP TABLE "${name}"`);
        this.knownPartitions.delete(day);
        dropped.push(name);
      }
      await client.query('COMMIT');
      return dropped;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Every stored record with this request id (normally exactly one), the first stored first: a later
   * record reusing the id (another send time) never displaces the one stored before it.
   */
  async findByRequestId(requestId: string): Promise<StoredRequestRow[]> {
    return (await this.pool.query<StoredRequestRow>(selectByRequestId([requestId]))).rows;
  }

  private async insert(batches: readonly BatchToStore[], derived: DerivedWrites | undefined): Promise<StoreResult[]> {
    if (await this.copyWhole(batches, derived)) {
      return batches.map(({ records }) => ({ inserted: records.map(asInsertedRow), duplicates: 0, conflicting: [], via: 'copy' }));
    }
    const results: StoreResult[] = [];
    for (const { records, receivedAt, ingestKeyId } of batches) {
      // pool.query, not a checked-out client: the pool handles a connection dying mid-statement
      // (the statement rejects, the connection is discarded) without an unhandled 'error' event.
      const values = batchParameters(records, receivedAt, ingestKeyId ?? null);
      const { rows } = await this.pool.query<InsertedRow>({ ...insertWithDerivedWrites(derived), values });
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
    return rows.map(({ index }) => records[index]!);
  }

  /** The fast path of storeBatches: true when every record was new and all are stored; false when some record already was (nothing written). */
  private async copyWhole(batches: readonly BatchToStore[], derived: DerivedWrites | undefined): Promise<boolean> {
    const client = await this.pool.connect();
    // A connection dying mid-transaction rejects the statement in hand AND emits 'error' on the client,
    // which would crash the process without a listener; the rejection is what gets handled.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await copyInto(client, batches.map(({ records, receivedAt, ingestKeyId }) => copyRows(records, receivedAt, ingestKeyId ?? null)).join(''));
      if (derived) await client.query({ ...derivedWritesOfSummary(derived), values: [derived.summarise(batches.flatMap((b) => b.records))] });
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
    for (const day of days) await this.ensurePartition(day);
  }

  private async ensurePartition(day: string): Promise<boolean> {
    if (this.knownPartitions.has(day)) return false;
    const { rows } = await this.pool.query<{ created: boolean }>('SELECT ensure_request_logs_partition($1::date) AS created', [day]);
    this.knownPartitions.add(day);
    return rows[0]!.created;
  }

  /**
   * The same API key's requests just before and just after one request (by send time, ties broken by
   * request id), at most `limit` each side, searched within a day either way so only two or three
   * daily partitions are touched; served by the (api_key_id, sent_at) index.
   */
  async findKeyNeighbors(apiKeyId: string, sentAt: Date, requestId: string, limit: number): Promise<{ before: RequestSummaryRow[]; after: RequestSummaryRow[] }> {
    const params = [apiKeyId, sentAt, requestId, limit];
    const [before, after] = await Promise.all([
      this.pool.query<RequestSummaryRow>(selectKeyNeighborsBefore(params)),
      this.pool.query<RequestSummaryRow>(selectKeyNeighborsAfter(params)),
    ]);
    return { before: before.rows.reverse(), after: after.rows };
  }
}

/** `request_logs_20261125` → `2026-11-25`; undefined for anything not named like a daily partition. */
function partitionDay(name: string): string | undefined {
  const match = /^request_logs_(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}
