import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DeadLetterRecord, PG_POOL, PrismaService } from '#libs/database';
import type { Pool } from 'pg';
import { PARK_RECORDS_SQL } from './dead-letter.sql.js';

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

/**
 * All queries on dead_letter_records. The admin side (list, show, delete, purge, retry) goes through
 * Prisma Client: single-table reads and deletes by key. Parking stays raw SQL: one multi-row
 * INSERT ... ON CONFLICT DO NOTHING RETURNING from a JSON array, which Prisma's createMany cannot
 * return per row (the worker counts the rows really added).
 */
@Injectable()
export class DeadLetterRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly prisma: PrismaService,
  ) {}

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

  /** Newest first, with how many there are in all (one snapshot: both reads in one transaction). */
  async list(limit: number): Promise<{ total: number; records: DeadLetterSummary[] }> {
    const [rows, total] = await this.prisma.$transaction([
      this.prisma.deadLetterRecord.findMany({ select: SUMMARY, orderBy: { id: 'desc' }, take: limit }),
      this.prisma.deadLetterRecord.count(),
    ]);
    return { total, records: rows.map(toSummary) };
  }

  async get(id: string): Promise<DeadLetterDetail | undefined> {
    const row = await this.prisma.deadLetterRecord.findUnique({ where: { id: BigInt(id) }, select: DETAIL });
    return row ? toDetail(row) : undefined;
  }

  /** Removes one parked record; false when there was none with this id. */
  async delete(id: string): Promise<boolean> {
    return (await this.prisma.deadLetterRecord.deleteMany({ where: { id: BigInt(id) } })).count > 0;
  }

  /** Removes every parked record, or (retention) those first seen before `before`; returns how many. */
  async purge(before?: Date): Promise<number> {
    // Retention's bound is served by the first_seen_at index.
    return (await this.prisma.deadLetterRecord.deleteMany({ where: before ? { firstSeenAt: { lt: before } } : {} })).count;
  }

  /**
   * Removes one parked record and hands it to `requeue`; the removal commits only if `requeue`
   * succeeds, so a record is never both lost and unqueued. Parking it again meanwhile (the retry
   * refused at once) waits for this commit (the DELETE holds the row's lock). False when there was
   * none with this id.
   */
  async take(id: string, requeue: (entry: DeadLetterDetail) => Promise<void>): Promise<boolean> {
    // Prisma's default limits (2 s to get a connection, 5 s in all) would cut a busy pool or a slow
    // Redis short where the pool's own bounds and the queue's apply.
    return this.prisma.$transaction(
      async (tx) => {
        const [row] = await tx.deadLetterRecord.findMany({ where: { id: BigInt(id) }, select: DETAIL });
        if (!row || (await tx.deadLetterRecord.deleteMany({ where: { id: row.id } })).count === 0) return false;
        await requeue(toDetail(row));
        return true;
      },
      { maxWait: TAKE_LIMIT_MS, timeout: TAKE_LIMIT_MS },
    );
  }
}

const TAKE_LIMIT_MS = 60_000;

const SUMMARY = {
  id: true,
  requestId: true,
  sentAt: true,
  reason: true,
  sqlstate: true,
  message: true,
  jobId: true,
  receivedAt: true,
  ingestKeyId: true,
  firstSeenAt: true,
} as const;
const DETAIL = { ...SUMMARY, record: true } as const;

type SummaryRow = { [K in keyof typeof SUMMARY]: DeadLetterRecord[K] };

/** The row as the admin endpoints show it: the id as text (a bigint), the record's sent_at as its `timestamp`. */
function toSummary(row: SummaryRow): DeadLetterSummary {
  const { id, requestId, sentAt, reason, sqlstate, message, jobId, receivedAt, ingestKeyId, firstSeenAt } = row;
  return { id: id.toString(), requestId, timestamp: sentAt, reason, sqlstate, message, jobId, receivedAt, ingestKeyId, firstSeenAt };
}

function toDetail({ record, ...summary }: SummaryRow & { record: string }): DeadLetterDetail {
  return { ...toSummary(summary), record: JSON.parse(record) as unknown };
}
