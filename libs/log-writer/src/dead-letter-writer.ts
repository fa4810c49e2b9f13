import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { AccessLogRecord } from '#libs/access-log';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CONFLICTING_DUPLICATE, type DeadLetterEntry, DeadLetterRepository } from '#libs/failed-batches';
import type { IngestJobData } from '#libs/queue';
import { recordRefusalReason } from '#libs/request-store';
import type { RefusedRecord } from './record-isolation.js';

const CONFLICT_MESSAGE = 'A record with this requestId and timestamp but other content was stored first; it was kept and this one was not stored.';

const DAY_MS = 86_400_000;

/**
 * Parks what a job could not store in the dead letter, each record with why. The dead letter is kept
 * as long as raw rows (RETENTION_DAYS, by first_seen_at): the table only grows when records are
 * parked, so each parking first deletes what is past retention, and no client (say, one sending
 * conflicting duplicates) can grow it for ever.
 */
@Injectable()
export class DeadLetterWriter {
  constructor(
    private readonly repository: DeadLetterRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the reason of each record newly parked (none for a redelivered job's records, parked already). */
  async park(job: Job<IngestJobData>, refused: readonly RefusedRecord[], conflicting: readonly AccessLogRecord[]): Promise<string[]> {
    if (refused.length === 0 && conflicting.length === 0) return [];
    await this.repository.purge(new Date(Date.now() - this.config.partitions.retentionDays * DAY_MS));
    const of = { jobId: job.id === undefined ? null : String(job.id), receivedAt: job.data.receivedAt, ingestKeyId: job.data.ingestKeyId ?? null };
    const entries: DeadLetterEntry[] = [
      ...refused.map(({ record, error }) => ({ ...of, record, reason: recordRefusalReason(error), sqlstate: error.code ?? null, message: error.message })),
      ...conflicting.map((record) => ({ ...of, record, reason: CONFLICTING_DUPLICATE, sqlstate: null, message: CONFLICT_MESSAGE })),
    ];
    return await this.repository.park(entries);
  }
}

/** How many newly parked records were refused by Postgres, and how many were conflicting duplicates. */
export function countParked(reasons: readonly string[]): { deadLettered: number; conflicting: number } {
  const conflicting = reasons.filter((r) => r === CONFLICTING_DUPLICATE).length;
  return { deadLettered: reasons.length - conflicting, conflicting };
}
