import { Injectable } from '@nestjs/common';
import { type DeadLetterRecord, PrismaService } from '#libs/database';

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

/**
 * The admin side of dead_letter_records (list, show, delete, purge, retry), through Prisma Client:
 * single-table reads and deletes by key. Parking is the worker's, in the store's writer
 * (libs/store dead-letter-parking.ts): raw SQL, one multi-row INSERT ... ON CONFLICT DO NOTHING
 * RETURNING, which Prisma's createMany cannot return per row (the worker counts the rows really added).
 */
@Injectable()
export class DeadLetterRepository {
  constructor(private readonly prisma: PrismaService) {}

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
