import type { Job, Queue } from 'bullmq';
import type pg from 'pg';
import { pollUntil } from './poll.js';

export interface FaultFigures {
  sent: number;
  stored: number;
  lost: number;
  duplicated: number;
  countedByJobs: number;
  countedByLastDelivery: number;
}

/**
 * Every record stored exactly once AND every derived count exact: the rows inserted according to
 * the completed jobs' return values (`returnvalue.batchInserted`, committed with the rows) add up to
 * the stored rows, so nothing a redelivered job re-ran was counted twice, nor lost with a killed worker.
 * Records are selected by `api_key_id` (each fault test gives its records a key id of its own).
 * Extend here when more tables are derived from inserted rows (rollups).
 */
export async function assertDerivedCountsExact(args: { queue: Queue; db: pg.Pool; apiKeyId: string; sentIds: string[] }): Promise<FaultFigures> {
  const { rows } = await args.db.query<{ rows: string; ids: string }>(
    'SELECT count(*) AS rows, count(DISTINCT request_id) AS ids FROM request_logs WHERE api_key_id = $1',
    [args.apiKeyId],
  );
  const stored = Number(rows[0]!.rows);
  const distinct = Number(rows[0]!.ids);
  const completed = (await args.queue.getJobs(['completed'], 0, -1)) as Job<unknown, { inserted: number; batchInserted: number }>[];
  const countedByJobs = completed.reduce((sum, job) => sum + (job.returnvalue?.batchInserted ?? 0), 0);
  // For the report only: the last deliveries' own inserts, short by any batch committed by a killed worker.
  const countedByLastDelivery = completed.reduce((sum, job) => sum + (job.returnvalue?.inserted ?? 0), 0);
  const sent = new Set(args.sentIds).size;
  const figures = { sent, stored: distinct, lost: sent - distinct, duplicated: stored - distinct, countedByJobs };

  expect(await args.queue.getFailedCount()).toBe(0);
  expect(figures).toEqual({ sent, stored: sent, lost: 0, duplicated: 0, countedByJobs: sent });
  return { ...figures, countedByLastDelivery };
}

/** Polls until the queue has nothing waiting, delayed or active (after the rows are stored, jobs may still be completing). */
export async function waitForDrainedQueue(queue: Queue, timeoutMs = 30_000): Promise<void> {
  const pending = () => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
  await pollUntil(pending, (counts) => Object.values(counts).every((n) => n === 0), timeoutMs, 'a drained queue');
}

/** Polls until at least `count` rows with this api_key_id are stored; returns how many there were. */
export async function waitForRowCount(db: pg.Pool, apiKeyId: string, count: number, timeoutMs: number): Promise<number> {
  const stored = async () => {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM request_logs WHERE api_key_id = $1', [apiKeyId]);
    return Number(rows[0]!.n);
  };
  return pollUntil(stored, (n) => n >= count, timeoutMs, `${count} stored rows`);
}
