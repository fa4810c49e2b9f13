import type { Queue } from 'bullmq';
import type pg from 'pg';
import { pollUntil } from './poll.js';

export interface FaultFigures {
  sent: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** Requests of this key counted in the per-minute rollups (what error rates and spikes read). */
  countedInRollups: number;
  /** Rollup cells (minute × status × route × …) whose count differs from the raw rows. */
  rollupCellsOff: number;
}

/**
 * Every record stored exactly once AND every derived count exact: the per-minute rollups, written in
 * the raw insert's transaction from the rows it really added, agree cell by cell with the raw rows,
 * so nothing a redelivered job re-ran was counted twice and nothing committed was left uncounted.
 * (Job return values are no such proof: a worker killed after its commit but before BullMQ marked the
 * job complete re-runs it and reports 0 inserted, which is exactly why counts live in the transaction.)
 * Records are selected by `api_key_id` (each fault test gives its records a key id of its own).
 */
export async function assertDerivedCountsExact(args: {
  queue: Queue;
  db: pg.Pool;
  apiKeyId: string;
  sentIds: string[];
}): Promise<FaultFigures> {
  const { rows } = await args.db.query<{ rows: string; ids: string }>(
    'SELECT count(*) AS rows, count(DISTINCT request_id) AS ids FROM request_logs WHERE api_key_id = $1',
    [args.apiKeyId],
  );
  const stored = Number(rows[0].rows);
  const distinct = Number(rows[0].ids);
  const rollups = await rollupAgreement(args.db, args.apiKeyId);
  const sent = new Set(args.sentIds).size;
  const figures: FaultFigures = {
    sent,
    stored: distinct,
    lost: sent - distinct,
    duplicated: stored - distinct,
    countedInRollups: rollups.counted,
    rollupCellsOff: rollups.cellsOff,
  };

  expect(await args.queue.getFailedCount()).toBe(0);
  expect(figures).toEqual({ sent, stored: sent, lost: 0, duplicated: 0, countedInRollups: sent, rollupCellsOff: 0 });
  return figures;
}

/**
 * How one API key's rows are counted in the widest per-minute rollup: the requests counted, and the
 * rollup cells (minute × status × method × route × error code) whose count differs from the raw rows
 * (a cell missing on either side counts as differing).
 */
export async function rollupAgreement(db: pg.Pool, apiKeyId: string): Promise<{ counted: number; cellsOff: number }> {
  const { rows } = await db.query<{ counted: string; off: string }>(
    `WITH raw AS (
       SELECT date_trunc('minute', sent_at) AS bucket, status, method, route, error_code, count(*) AS n
       FROM request_logs WHERE api_key_id = $1 GROUP BY 1, 2, 3, 4, 5),
     derived AS (
       SELECT bucket, status, method, route, error_code, count AS n FROM request_rollups_minute WHERE api_key_id = $1)
     SELECT (SELECT coalesce(sum(n), 0) FROM derived) AS counted,
            (SELECT count(*) FROM raw FULL JOIN derived
               ON (raw.bucket, raw.status, raw.method, raw.route) = (derived.bucket, derived.status, derived.method, derived.route)
              AND raw.error_code IS NOT DISTINCT FROM derived.error_code
             WHERE raw.n IS DISTINCT FROM derived.n) AS off`,
    [apiKeyId],
  );
  return { counted: Number(rows[0].counted), cellsOff: Number(rows[0].off) };
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
    return Number(rows[0].n);
  };
  return pollUntil(stored, (n) => n >= count, timeoutMs, `${count} stored rows`);
}
