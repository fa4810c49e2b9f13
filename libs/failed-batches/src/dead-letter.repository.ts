import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { DELETE_SQL, GET_SQL, LIST_SQL, PARK_RECORDS_SQL, PURGE_BEFORE_SQL, PURGE_SQL, TAKE_SQL } from './dead-letter.sql.js';

/** The reason of a record parked for conflicting with a stored one (same requestId and timestamp, other content). */
export const CONFLICTING_DUPLICATE = 'conflicting_duplicate';

/** A record the worker could not store, and why. */
export interface DeadLetterEntry {
  /** The record as it was queued (validated or not: it is kept as JSON text whatever it holds). */
  record: unknown;
  /** Bounded: a SQLSTATE class name (`data_exception`…) or `conflicting_duplicate`. */
  reason: string;
  /** Postgres's SQLSTATE (null for a conflicting duplicate, which Postgres did not refuse). */
  sqlstate: string | null;
  /** Postgres's message, or what the record conflicts with. */
  message: string;
  jobId: string | null;
  receivedAt: string;
  ingestKeyId: string | null;
}

/** A parked record as the admin endpoints and the CLI list it. */
export interface DeadLetterSummary {
  id: string;
  requestId: string | null;
  timestamp: string | null;
  reason: string;
  sqlstate: string | null;
  message: string;
  jobId: string | null;
  receivedAt: Date;
  ingestKeyId: string | null;
  firstSeenAt: Date;
}

export interface DeadLetterDetail extends DeadLetterSummary {
  record: unknown;
}

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text copied from a refused record into a text column: bounded, with no NUL or lone surrogate (Postgres text holds neither). */
function storableText(value: unknown, maxLength: number): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.slice(0, maxLength).replace(UNSTORABLE, '\uFFFD');
}

/** All SQL touching dead_letter_records. */
@Injectable()
export class DeadLetterRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Parks records; returns the reason of each one really added (a record parked before adds nothing). */
  async park(entries: readonly DeadLetterEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
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
        jobId: storableText(e.jobId, 256),
        receivedAt: e.receivedAt,
        ingestKeyId: storableText(e.ingestKeyId, 256),
      };
    });
    const { rows: added } = await this.pool.query<{ reason: string }>(PARK_RECORDS_SQL, [JSON.stringify(rows)]);
    return added.map((r) => r.reason);
  }

  async list(limit: number): Promise<{ total: number; records: DeadLetterSummary[] }> {
    const { rows } = await this.pool.query<DeadLetterSummary & { total: number }>(LIST_SQL, [limit]);
    return { total: rows[0]?.total ?? (await this.count()), records: rows.map(({ total: _, ...summary }) => summary) };
  }

  async get(id: string): Promise<DeadLetterDetail | undefined> {
    const { rows } = await this.pool.query<DeadLetterSummary & { record: string }>(GET_SQL, [id]);
    return rows[0] && withRecord(rows[0]);
  }

  /** Removes one parked record; false when there was none with this id. */
  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query(DELETE_SQL, [id])).rowCount ?? 0) > 0;
  }

  /** Removes every parked record, or (retention) those first seen before `before`; returns how many. */
  async purge(before?: Date): Promise<number> {
    return (await (before ? this.pool.query(PURGE_BEFORE_SQL, [before]) : this.pool.query(PURGE_SQL))).rowCount ?? 0;
  }

  /**
   * Removes one parked record and hands it to `requeue`; the removal commits only if `requeue`
   * succeeds, so a record is never both lost and unqueued. Parking it again meanwhile (the retry
   * refused at once) waits for this commit. False when there was none with this id.
   */
  async take(id: string, requeue: (entry: DeadLetterDetail) => Promise<void>): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DeadLetterSummary & { record: string }>(TAKE_SQL, [id]);
      if (rows[0]) await requeue(withRecord(rows[0]));
      await client.query('COMMIT');
      return rows.length > 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letter_records');
    return rows[0]!.n;
  }
}

function withRecord({ record, ...summary }: DeadLetterSummary & { record: string }): DeadLetterDetail {
  return { ...summary, record: JSON.parse(record) as unknown };
}
