import { type AddressInfo, createServer } from 'node:net';
import { http } from './support/http.js';
import { ensureBuilt } from './support/build.js';
import { WorkerProcess } from './support/child-process.js';
import { makeRecord } from './support/factories.js';
import { labelValues, sampleSum } from './support/metrics-text.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

/**
 * Issue 12 rows #2 and #8 against the real worker process: a flood of distinct label combinations
 * cannot grow its /metrics past METRICS_MAX_SERIES, concurrent scrapers share one render, and a real
 * error code from a real key gets its own series back after junk, without a restart.
 */
describe('/metrics under hostile label values', () => {
  let pipeline: Pipeline;
  const config = testConfig();

  beforeAll(async () => {
    ensureBuilt();
    pipeline = await startPipeline(config, { worker: false });
  }, 180_000);
  afterAll(async () => {
    await WorkerProcess.stopAll();
    await pipeline.close();
  });

  /**
   * The real worker on a port of its own, consuming this file's queue. A second attempt when the first
   * does not report ready within WorkerProcess's 20 s (seen once on a machine at load 19).
   */
  async function startWorker(env: Record<string, string>): Promise<{ worker: WorkerProcess; scrape: () => Promise<string> }> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        const worker = await WorkerProcess.start({ QUEUE_PREFIX: config.redis.keyPrefix, WORKER_PORT: String(port), ...env });
        return { worker, scrape: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text() };
      } catch (err) {
        await WorkerProcess.stopAll();
        if (attempt === 2) throw err;
      }
    }
  }

  async function ingest(records: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < records.length; i += 2000)
      await http(pipeline.api.getHttpServer())
        .post('/v1/logs')
        .send(records.slice(i, i + 2000))
        .expect(202);
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
      60_000,
    );
  }

  /** `n` records, each its own method × route × status × error code × key combination. */
  const junk = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) =>
      makeRecord({
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'][i % 5],
        path: `/v1/${tag}/r${i}`,
        status: 420 + (i % 60),
        error: `${tag}_e${i}`,
        apiKeyId: `${tag}_k${i}`,
      }),
    );

  it('#2: a flood of distinct combinations stays within METRICS_MAX_SERIES; 20 concurrent scrapers share one render', async () => {
    const { worker, scrape } = await startWorker({
      METRICS_MAX_SERIES: '1500',
      METRICS_RENDER_CACHE_MS: '5000',
      METRICS_LABEL_RERANK_SECONDS: '3600',
    });
    const records = junk(6000, 'flood');
    await ingest(records);
    // The counts are still whole: every stored record is in the request counters, folded or not.
    let exposition = await scrape();
    for (let i = 0; i < 100 && sampleSum(exposition, 'verilock_ingest_records_stored_total') < records.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      exposition = await scrape();
    }
    const requestSamples = exposition.split('\n').filter((l) => l.startsWith('verilock_api_'));
    expect(requestSamples.length).toBeLessThanOrEqual(1500);
    expect(sampleSum(exposition, 'verilock_metrics_series_limit')).toBe(1500);
    expect(sampleSum(exposition, 'verilock_api_requests_total')).toBe(records.length);
    expect(sampleSum(exposition, 'verilock_api_key_requests_total')).toBe(records.length);
    expect(sampleSum(exposition, 'verilock_metrics_folded_records_total', { reason: 'series_budget' })).toBeGreaterThan(0);

    const bodies = await Promise.all(Array.from({ length: 20 }, () => scrape()));
    const renders = bodies.map((b) => sampleSum(b, 'verilock_metrics_renders_total', { format: 'text' }));
    expect(new Set(bodies).size).toBe(1);
    expect(renders[0]).toBeGreaterThan(0);
    expect(new Set(renders).size).toBe(1);
    await worker.terminate();
  }, 180_000);

  it('#8: after junk fills the labels, a real `conflict` from a real key gets its own series without a restart', async () => {
    const { worker, scrape } = await startWorker({
      METRICS_MAX_SERIES: '2000',
      METRICS_MAX_ERROR_CODES: '20',
      METRICS_MAX_API_KEYS: '20',
      METRICS_LABEL_RERANK_SECONDS: '1',
      METRICS_RENDER_CACHE_MS: '0',
    });
    await ingest(junk(300, 'junk'));
    const conflict = () =>
      makeRecord({
        method: 'POST',
        path: '/v1/sessions/ses_9k2j4h/approve',
        status: 409,
        error: 'conflict',
        message: 'Session already declined.',
        apiKeyId: 'key_live_12',
      });
    await ingest([conflict()]);
    const first = await scrape();
    expect(labelValues(first, 'verilock_api_requests_total', 'error_code')).not.toContain('conflict');
    expect(sampleSum(first, 'verilock_api_requests_total', { error_code: 'other' })).toBeGreaterThan(0);

    // The real client keeps getting its 409s; junk has stopped. Within a few re-ranks (1 s each here),
    // conflict and key_live_12 are labels of their own again.
    const deadline = Date.now() + 60_000;
    let exposition = first;
    while (
      sampleSum(exposition, 'verilock_api_requests_total', { error_code: 'conflict' }) === 0 ||
      sampleSum(exposition, 'verilock_api_key_requests_total', { api_key: 'key_live_12' }) === 0
    ) {
      if (Date.now() > deadline)
        throw new Error(
          `conflict never got its own series:\n${exposition
            .split('\n')
            .filter((l) => l.includes('409'))
            .join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 500));
      await ingest([conflict(), conflict()]);
      exposition = await scrape();
    }
    expect(
      sampleSum(exposition, 'verilock_api_requests_total', { route: '/v1/sessions/:id/approve', status: '409', error_code: 'conflict' }),
    ).toBeGreaterThan(0);
    await worker.terminate();
  }, 180_000);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
