import { Inject, Injectable } from '@nestjs/common';
import type { AccessLogRecord } from '#libs/access-log';
import { PG_POOL, PrismaService } from '#libs/database';
import type { Pool, PoolClient } from 'pg';
import { INSERT_REQUEST_LOGS_SQL, InsertedRow, insertParameters } from './insert-request-logs.sql.js';
import { utcDay } from './utc-day.js';

export interface StoreResult {
  /** Rows this call inserted, in no particular order. */
  inserted: InsertedRow[];
  /** Records that were already stored (redelivery or a resent record). */
  duplicates: number;
}

/** Postgres SQLSTATE for "no partition of relation found for row". */
const NO_PARTITION = '23514';

/** All SQL touching request_logs. */
@Injectable()
export class RequestLogRepository {
  /** Days known to have a partition; only ever grows, and is cleared if Postgres says otherwise. */
  private readonly knownPartitions = new Set<string>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * Stores a batch idempotently in one transaction. `extend` runs in the same transaction with the
   * rows really inserted, so anything derived from them (rollups) commits or rolls back together.
   */
  async storeBatch(
    records: AccessLogRecord[],
    receivedAt: string,
    extend?: (client: PoolClient, inserted: InsertedRow[]) => Promise<void>,
  ): Promise<StoreResult> {
    await this.ensurePartitionsFor(records);
    try {
      return await this.insertInTransaction(records, receivedAt, extend);
    } catch (err) {
      if ((err as { code?: string }).code !== NO_PARTITION) throw err;
      // A partition this process thought it had was dropped (retention): forget and recreate once.
      this.knownPartitions.clear();
      await this.ensurePartitionsFor(records);
      return this.insertInTransaction(records, receivedAt, extend);
    }
  }

  /**
   * Inside storeBatch's transaction (its `extend` hook): adds this delivery's new rows to the batch's
   * running total and returns that total, i.e. the rows the batch inserted over all its deliveries.
   */
  async countBatchRows(client: PoolClient, batchId: string, insertedNow: number): Promise<number> {
    const { rows } = await client.query<{ inserted: number }>(
      `INSERT INTO ingest_batch_outcomes (batch_id, inserted) VALUES ($1, $2)
       ON CONFLICT (batch_id) DO UPDATE SET inserted = ingest_batch_outcomes.inserted + EXCLUDED.inserted
       RETURNING inserted`,
      [batchId, insertedNow],
    );
    return rows[0]!.inserted;
  }

  /** Forgets batch totals older than `days` (their jobs are long gone from the queue). */
  async pruneBatchOutcomes(days: number): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM ingest_batch_outcomes WHERE first_stored_at < now() - make_interval(days => $1)`, [days]);
    return rowCount ?? 0;
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

  /** Every stored record with this request id, newest first (normally exactly one). */
  findByRequestId(requestId: string) {
    return this.prisma.requestLog.findMany({ where: { requestId }, orderBy: { sentAt: 'desc' }, take: 20 });
  }

  private async insertInTransaction(
    records: AccessLogRecord[],
    receivedAt: string,
    extend?: (client: PoolClient, inserted: InsertedRow[]) => Promise<void>,
  ): Promise<StoreResult> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: if Postgres goes away between statements, its
    // 'error' event would crash the process. The failed statement rejects anyway, so ignore it here.
    const ignore = () => undefined;
    client.on('error', ignore);
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<InsertedRow>(INSERT_REQUEST_LOGS_SQL, insertParameters(records, receivedAt));
      if (extend) await extend(client, rows);
      await client.query('COMMIT');
      return { inserted: rows, duplicates: records.length - rows.length };
    } catch (err) {
      failure = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', ignore);
      // Passing the error destroys the connection instead of pooling one that may be broken.
      client.release(failure);
    }
  }

  private async ensurePartitionsFor(records: AccessLogRecord[]): Promise<void> {
    const days = new Set(records.map((r) => r.timestamp.slice(0, 10)));
    for (const day of days) await this.ensurePartition(day);
  }

  private async ensurePartition(day: string): Promise<boolean> {
    if (this.knownPartitions.has(day)) return false;
    const { rows } = await this.pool.query<{ created: boolean }>('SELECT ensure_request_logs_partition($1::date) AS created', [day]);
    this.knownPartitions.add(day);
    return rows[0]!.created;
  }
}

/** `request_logs_20261125` → `2026-11-25`; undefined for anything not named like a daily partition. */
function partitionDay(name: string): string | undefined {
  const match = /^request_logs_(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}
