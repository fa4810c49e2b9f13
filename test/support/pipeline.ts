import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app.js';
import type { TestConfig } from './test-env.js';

/** The api and the worker, both real, against the real Postgres and Redis of the test run. */
export interface Pipeline {
  api: NestFastifyApplication;
  worker?: NestFastifyApplication;
  db: pg.Pool;
  close(): Promise<void>;
}

export async function startPipeline(config: TestConfig, options: { worker?: boolean } = {}): Promise<Pipeline> {
  const quiet = ['warn', 'error', 'fatal'] as const;
  const api = await createApiApp(config, [...quiet]);
  await api.init();
  const worker = options.worker === false ? undefined : await createWorkerApp(config, [...quiet]);
  await worker?.init();
  const db = new pg.Pool({ connectionString: config.database.url, max: 2 });
  // Fault tests stop Postgres: an idle connection dying then must not crash the test process.
  db.on('error', () => undefined);
  return {
    api,
    worker,
    db,
    async close() {
      await worker?.close();
      await api.close();
      await db.end();
    },
  };
}

/** Waits (polling Postgres, not sleeping blindly) until every id is stored; fails after `timeoutMs`. */
export async function waitUntilStored(db: pg.Pool, requestIds: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ n: string }>('SELECT count(DISTINCT request_id) AS n FROM request_logs WHERE request_id = ANY($1)', [
      requestIds,
    ]);
    if (Number(rows[0].n) === new Set(requestIds).size) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${requestIds.length} records stored after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How many rows hold each of these ids (to prove "stored once"). */
export async function rowCounts(db: pg.Pool, requestIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ request_id: string; n: string }>(
    'SELECT request_id, count(*) AS n FROM request_logs WHERE request_id = ANY($1) GROUP BY request_id',
    [requestIds],
  );
  return new Map(rows.map((r) => [r.request_id, Number(r.n)]));
}
