import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { createIngestQueue, ingestQueueSettings } from '#libs/queue';
import { ensureBuilt } from './support/build.js';
import { runNode, WorkerProcess } from './support/child-process.js';
import { assertDerivedCountsExact, waitForDrainedQueue, waitForRowCount } from './support/derived-counts.js';
import { makeRecords } from './support/factories.js';
import { http, TEST_API_KEY } from './support/http.js';
import { expectRateLimited } from './support/rate-limited.js';
import { DisposableRedisCluster } from './support/redis-cluster.js';
import { freePort } from './support/redis-server.js';
import { testConfig } from './support/test-env.js';

const PER_POST = 100;

/**
 * The real api and worker (dist/) on a real 3-master Redis Cluster (REDIS_URL=redis+cluster://…): ingest
 * through HTTP, queue, worker, rows; the per-key rate limit; then the master holding the queue's hash slot
 * killed with SIGKILL and restarted while clients keep sending.
 */
describe.each([
  { replicas: 0, outage: 'killed (SIGKILL) and restarted' },
  { replicas: 1, outage: 'killed (SIGKILL) and replaced by its replica' },
])('Redis Cluster: 3 masters with $replicas replica(s) each, under the api and the worker', ({ replicas, outage: how }) => {
  const prefix = `cluster-${randomUUID().slice(0, 8)}`;
  let cluster: DisposableRedisCluster;
  let env: Record<string, string>;
  let api: string;
  let queue: Queue;
  let db: pg.Pool;

  beforeAll(async () => {
    ensureBuilt();
    cluster = await DisposableRedisCluster.start(3, replicas);
    const apiPort = await freePort();
    api = `http://127.0.0.1:${apiPort}`;
    env = {
      REDIS_URL: cluster.url,
      QUEUE_PREFIX: prefix,
      API_PORT: String(apiPort),
      BOOTSTRAP_ADMIN_KEY: TEST_API_KEY,
      RATE_LIMIT_INGEST_PER_WINDOW: '1000000',
      RATE_LIMIT_QUERY_PER_WINDOW: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      RETENTION_DAYS: '36500',
      PARTITIONS_AHEAD_DAYS: '1',
      JOB_BACKOFF_MS: '100',
      // A restarted master comes back with its jobs still locked by the worker: short locks reclaim them in seconds.
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
    };
    await WorkerProcess.start(env, { app: 'api' });
    await WorkerProcess.start(env);
    const config = testConfig(env);
    queue = createIngestQueue(ingestQueueSettings(config), 'consumer');
    db = new pg.Pool({ connectionString: config.database.url, max: 2 });
    // A first run builds dist/ (a minute or more on a loaded machine).
  }, 240_000);

  afterAll(async () => {
    await WorkerProcess.stopAll();
    await queue?.close();
    await db?.end();
    await cluster?.destroy();
  }, 60_000);

  const post = (records: Record<string, unknown>[]) => http(api).post('/v1/logs').send(records);

  it('stores every record exactly once, every key of the service in the one hash slot of {prefix}', async () => {
    const apiKeyId = `cluster-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const batch = makeRecords(PER_POST, { apiKeyId });
      await post(batch).expect(202);
      ids.push(...batch.map((r) => r.requestId as string));
    }
    await waitForRowCount(db, apiKeyId, ids.length, 60_000);
    await waitForDrainedQueue(queue);
    await assertDerivedCountsExact({ queue, db, apiKeyId, sentIds: ids });

    // Every key the service wrote (queue and window counters) starts with the hash tag, so sits in its slot.
    const keys = await cluster.keys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith(`{${prefix}}:`))).toEqual([]);
  }, 120_000);

  it('answers 429 with Retry-After once a key spends its query budget (window counters on the cluster)', async () => {
    for (let i = 0; i < 5; i++) expect((await http(api).get('/v1/requests/req_cluster_unknown')).status).toBe(404);
    expectRateLimited(await http(api).get('/v1/requests/req_cluster_unknown'), {
      message: (seconds) => `Too many requests. Please retry after ${seconds} seconds.`,
      limit: 5,
      bucket: 'query',
    });
  }, 30_000);

  it('is ready, reads queue depth for /metrics, and the failed-batches CLI runs (and exits) on the cluster', async () => {
    await http(api).get('/health/ready').expect(200);
    const metrics = (await http(api).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^verilock_ingest_queue_reachable\{app="api"\} 1$/m);
    expect(metrics).toMatch(/^verilock_ingest_queue_jobs\{state="failed",app="api"\} 0$/m);
    // The CLI exits only once its queue closed the cluster client it was handed (createIngestQueue).
    const cli = await runNode('dist/apps/cli/src/failed.js', ['list'], env);
    expect({ code: cli.code, stdout: cli.stdout.trim() }).toEqual({ code: 0, stdout: '0 failed batch(es)' });
  }, 60_000);

  it(`loses nothing when the queue's master is ${how} mid-ingest: 202 or 503, never 500`, async () => {
    const apiKeyId = `cluster-failover-${randomUUID()}`;
    const tag = `{${prefix}}`;
    const master = await cluster.masterOf(tag);
    // Each answer after the kill: its status, when it was asked (ms after the kill) and how long it took.
    const answers: { status: number; atMs: number; tookMs: number }[] = [];
    const accepted: string[] = [];
    const sent = new Set<string>();
    // When (Date.now()) the master was killed, its slots served again (restarted or promoted replica), every node `ok`.
    const outage: { killedAt?: number; servedAgainAt?: number; healthyAt?: number } = {};
    let acceptedAfterRestart = 0;

    // One client sending batches back to back; a refused batch is sent again, as the conventions ask.
    const client = (async () => {
      let batch = makeRecords(PER_POST, { apiKeyId });
      while (outage.healthyAt === undefined || acceptedAfterRestart < 10) {
        batch.forEach((r) => sent.add(r.requestId as string));
        const started = Date.now();
        const res = await post(batch);
        if (outage.killedAt !== undefined)
          answers.push({ status: res.status, atMs: started - outage.killedAt, tookMs: Date.now() - started });
        if (res.status === 202) {
          accepted.push(...batch.map((r) => r.requestId as string));
          if (outage.healthyAt !== undefined) acceptedAfterRestart++;
          batch = makeRecords(PER_POST, { apiKeyId });
          continue;
        }
        // Anything but a proper 503 (the error shape, Retry-After mirrored in details) fails the test.
        expect({ status: res.status, error: res.body.error, retryAfter: Number(res.headers['retry-after']) }).toEqual({
          status: 503,
          error: 'service_unavailable',
          retryAfter: res.body.details.retry_after,
        });
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    client.catch(() => undefined); // awaited below, once the master is back: no unhandled rejection meanwhile

    await waitForRowCount(db, apiKeyId, 5 * PER_POST, 60_000);
    outage.killedAt = Date.now();
    outage.servedAgainAt = await cluster.killAndRecover(master, tag);
    await cluster.waitUntilHealthy();
    outage.healthyAt = Date.now();
    await client;

    await waitForRowCount(db, apiKeyId, sent.size, 90_000);
    await waitForDrainedQueue(queue, 60_000);
    const { rows } = await db.query<{ n: string; ids: string; accepted: string }>(
      `SELECT count(*) AS n, count(DISTINCT request_id) AS ids,
              count(DISTINCT request_id) FILTER (WHERE request_id = ANY($2)) AS accepted
         FROM request_logs WHERE api_key_id = $1`,
      [apiKeyId, accepted],
    );
    const refused = answers.filter((a) => a.status === 503);
    const figures = {
      servedAgainAfterMs: outage.servedAgainAt - outage.killedAt,
      healthyAgainAfterMs: outage.healthyAt - outage.killedAt,
      // Answered 202 for a request sent after the kill and answered before its slots were served again: must be none.
      acceptedWhileDown: answers.filter(
        (a) => a.status === 202 && a.atMs > 0 && a.atMs + a.tookMs < outage.servedAgainAt! - outage.killedAt!,
      ).length,
      answersAfterKill: answers.length,
      refused: refused.length,
      firstRefusedAtMs: refused[0]?.atMs,
      lastRefusedAtMs: refused.at(-1)?.atMs,
      slowestAnswerMs: Math.max(...answers.map((a) => a.tookMs)),
      accepted: accepted.length,
      acceptedStored: Number(rows[0].accepted),
      stored: Number(rows[0].ids),
      duplicated: Number(rows[0].n) - Number(rows[0].ids),
    };
    console.log(`[redis cluster: master ${how}] ${JSON.stringify(figures)}`);
    // Every 202 stored once; batches answered 503 were sent again until accepted, so every record sent is stored once too.
    expect(figures.acceptedStored).toBe(accepted.length);
    expect(figures.stored).toBe(sent.size);
    expect(figures.duplicated).toBe(0);
    await assertDerivedCountsExact({ queue, db, apiKeyId, sentIds: [...sent] });
    // The outage was seen: the queue's master was really away for some requests.
    expect(refused.length).toBeGreaterThan(0);
    expect(figures.acceptedWhileDown).toBe(0);
  }, 240_000);
});
