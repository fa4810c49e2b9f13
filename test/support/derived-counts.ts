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
 * (a cell missing on either side counts as differing), plus the (minute, status) cells of the
 * per-minute totals that differ from all raw rows of the minutes this key has rows in.
 */
export async function rollupAgreement(db: pg.Pool, apiKeyId: string): Promise<{ counted: number; cellsOff: number }> {
  const widest = await widestRollupAgreement(db, apiKeyId);
  return { counted: widest.counted, cellsOff: widest.cellsOff + (await totalsCellsOff(db, apiKeyId)) };
}

async function widestRollupAgreement(db: pg.Pool, apiKeyId: string): Promise<{ counted: number; cellsOff: number }> {
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

/**
 * The per-minute totals against the raw rows (every key's) of the minutes holding this key's rows: the
 * (minute, status) cells whose count differs, plus every such totals row that disagrees with itself
 * (total, 4xx or 5xx not the sum of its statuses' counts, statuses not strictly ascending, or its
 * `byStatus` text not those counts in that order). One statement, so one snapshot: a batch commits
 * its raw rows and all its rollups together, whatever other tests write meanwhile.
 */
async function totalsCellsOff(db: pg.Pool, apiKeyId: string): Promise<number> {
  const { rows } = await db.query<{ off: string }>(
    `WITH minutes AS (SELECT DISTINCT date_trunc('minute', sent_at) AS bucket FROM request_logs WHERE api_key_id = $1),
     raw AS (
       SELECT m.bucket, r.status, count(*) AS n
       FROM minutes m JOIN request_logs r ON r.sent_at >= m.bucket AND r.sent_at < m.bucket + interval '1 minute'
       GROUP BY 1, 2),
     totals AS (SELECT t.* FROM request_totals_minute t JOIN minutes USING (bucket)),
     derived AS (SELECT bucket, cell.status, cell.n FROM totals CROSS JOIN LATERAL unnest(statuses, counts) AS cell(status, n)),
     malformed AS (
       SELECT bucket FROM totals t CROSS JOIN LATERAL (
         SELECT sum(n) AS total, coalesce(sum(n) FILTER (WHERE status / 100 = 4), 0) AS s4,
                coalesce(sum(n) FILTER (WHERE status / 100 = 5), 0) AS s5,
                bool_and(ord = 1 OR status > lag) AS ascending,
                '{' || string_agg('"' || status || '":' || n, ',' ORDER BY ord) || '}' AS text
         FROM (SELECT status, n, ord, lag(status) OVER (ORDER BY ord) AS lag
               FROM unnest(t.statuses, t.counts) WITH ORDINALITY AS cell(status, n, ord)) cells) c
       WHERE cardinality(t.statuses) <> cardinality(t.counts) OR NOT c.ascending
          OR (t.count, t.status_4xx, t.status_5xx, t.by_status) IS DISTINCT FROM (c.total, c.s4, c.s5, c.text))
     SELECT (SELECT count(*) FROM raw FULL JOIN derived USING (bucket, status) WHERE raw.n IS DISTINCT FROM derived.n)
          + (SELECT count(*) FROM malformed) AS off`,
    [apiKeyId],
  );
  return Number(rows[0].off);
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
