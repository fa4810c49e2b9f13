import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { AccessLogRecord } from '#libs/access-log';
import { INGEST_JOB, INGEST_QUEUE, IngestJobData, ingestJobData } from '#libs/queue';
import { type DeadLetterDetail, DeadLetterRepository, type DeadLetterSummary } from './dead-letter.repository.js';

/** Most records one list shows. */
export const DEAD_LETTER_LIST_MAX = 1000;

/**
 * The dead letter: records the worker could not store (Postgres refused their data) and conflicting
 * duplicates, each with why (see DeadLetterRepository). Inspect, delete, purge, or retry: a retried
 * record goes back to the queue as a batch of its own, with its original receivedAt and ingesting key,
 * and is stored, or parked again with the reason, by the worker.
 */
@Injectable()
export class DeadLetters {
  constructor(
    private readonly repository: DeadLetterRepository,
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue<IngestJobData>,
  ) {}

  list(limit = 100): Promise<{ total: number; records: DeadLetterSummary[] }> {
    return this.repository.list(Math.min(limit, DEAD_LETTER_LIST_MAX));
  }

  show(id: string): Promise<DeadLetterDetail | undefined> {
    return this.repository.get(id);
  }

  delete(id: string): Promise<boolean> {
    return this.repository.delete(id);
  }

  purge(): Promise<number> {
    return this.repository.purge();
  }

  /** Queues one parked record again (and removes it from the dead letter); false when there is none with this id. */
  retry(id: string): Promise<boolean> {
    return this.repository.take(id, async (entry) => {
      // source only labels the api's intake metrics, which a retry does not pass through again.
      const data = {
        ...ingestJobData([entry.record as AccessLogRecord], entry.receivedAt.toISOString(), 'http'),
        ingestKeyId: entry.ingestKeyId,
      };
      await this.queue.add(INGEST_JOB, data);
    });
  }
}

/** A dead-letter id as the table issues them (a positive bigint), or undefined for anything else. */
export function deadLetterId(text: string): string | undefined {
  return /^[1-9][0-9]{0,17}$/.test(text) ? text : undefined;
}
