import { Injectable } from '@nestjs/common';
import { Unavailable } from '#libs/errors';
import { IngestJobProducer, QueueRefusal } from '#libs/queue';
import { type DeadLetterDetail, DeadLetterRepository, type DeadLetterSummary } from './dead-letter.repository.js';

/** Retry-After of a retry the queue refused (backlog or Redis memory full): the backlog drains in seconds. */
export const DEAD_LETTER_RETRY_AFTER_SECONDS = 5;

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
    private readonly producer: IngestJobProducer,
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
    // Through the one job constructor: a retry meets the same backpressure as any job, and a refused
    // one leaves the record in the dead letter (take() commits its removal only once it is queued).
    return this.repository
      .take(id, (entry) =>
        this.producer.requeue(entry.record, { receivedAt: entry.receivedAt.toISOString(), ingestKeyId: entry.ingestKeyId }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof QueueRefusal)) throw err;
        throw new Unavailable(
          `${err.message}; the record stays in the dead letter. Retry later.`,
          DEAD_LETTER_RETRY_AFTER_SECONDS,
          err.details,
        );
      });
  }
}

/** A dead-letter id as the table issues them (a positive bigint), or undefined for anything else. */
export function deadLetterId(text: string): string | undefined {
  return /^[1-9][0-9]{0,17}$/.test(text) ? text : undefined;
}
