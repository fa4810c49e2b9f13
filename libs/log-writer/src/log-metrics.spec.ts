import { loadConfig } from '#libs/config';
import { MetricSources, MetricsRenderer, createRegistry } from '#libs/metrics';
import type { InsertedRow } from '#libs/store';
import { LogMetrics } from './log-metrics.js';
import { REQUEST_METRICS_CONFIG } from './request-metrics.config.js';

const config = loadConfig([REQUEST_METRICS_CONFIG], { METRICS_MAX_ROUTES: '1' }).requestMetrics;

function row(overrides: Partial<InsertedRow> = {}): InsertedRow {
  return {
    request_id: 'req_1',
    sent_at_ms: Date.now() - 2000,
    method: 'POST',
    route: '/v1/sessions/:id',
    status: 429,
    duration_ms: 12,
    error_code: 'rate_limit_exceeded',
    retry_after: 30,
    api_key_id: 'key_1',
    ...overrides,
  };
}

/** The worker's metrics and a way to read them as a scraper does. */
function setUp() {
  const registry = createRegistry();
  const sources = new MetricSources();
  const metrics = new LogMetrics(registry, sources, config);
  const renderer = new MetricsRenderer({ app: 'worker', registry, sources, cacheMs: 0 });
  const render = async (accept = 'application/openmetrics-text') => (await renderer.render(accept, () => false))!.body;
  /** Sum of the samples of `name` whose labels include `labels`. */
  const value = async (name: string, labels: Record<string, string> = {}) =>
    (await render('text/plain'))
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  return { metrics, render, value };
}

describe('LogMetrics', () => {
  it('times writes by outcome and rethrows a failure, so BullMQ retries the job; counts batches once each', async () => {
    const { metrics, render, value } = setUp();
    await expect(metrics.timeWrite(1, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await expect(metrics.timeWrite(3, () => Promise.resolve('ok'))).resolves.toBe('ok');
    metrics.observeFailed();
    for (let i = 0; i < 3; i++) metrics.observeStored({ inserted: [], duplicates: 0 });
    expect(await value('verilock_ingest_batches_total', { outcome: 'failed' })).toBe(1);
    expect(await value('verilock_ingest_batches_total', { outcome: 'stored' })).toBe(3);
    const om = await render();
    expect(om).toMatch(/verilock_ingest_write_duration_seconds_count\{app="worker",outcome="failed"\} 1/);
    expect(om).toMatch(/verilock_ingest_write_duration_seconds_count\{app="worker",outcome="stored"\} 1/);
    expect(om).toMatch(/verilock_ingest_write_batches_sum\{app="worker"\} 4/);
  });

  it('counts only inserted rows, with lag, Retry-After, the route cap, and no exemplar for over-long ids', async () => {
    const { metrics, render, value } = setUp();
    const longId = `req_${'x'.repeat(124)}`;
    metrics.observeStored({
      inserted: [row(), row({ request_id: longId, route: '/v1/other', status: 200, error_code: null, retry_after: null })],
      duplicates: 5,
    });
    expect(await value('verilock_ingest_records_stored_total')).toBe(2);
    expect(await value('verilock_ingest_records_duplicate_total')).toBe(5);
    expect(await value('verilock_api_requests_total', { route: 'other', status: '200', error_code: 'none' })).toBe(1);
    expect(await value('verilock_api_requests_total', { route: '/v1/sessions/:id', status: '429' })).toBe(1);
    const om = await render();
    expect(om).toMatch(/verilock_ingest_lag_seconds_bucket\{le="5",app="worker"\} 2/);
    expect(om).toMatch(/verilock_api_retry_after_seconds_bucket\{le="30",app="worker",status="429"\} 1/);
    expect(om).toContain('# {request_id="req_1"} 0.012');
    expect(om).not.toContain(longId);
  });

  it('adds a batch of rows sharing labels exactly, with one exemplar per latency bucket: the last row of it', async () => {
    const { metrics, render, value } = setUp();
    const rows = [
      row({ request_id: 'req_a', duration_ms: 3 }),
      row({ request_id: 'req_b', duration_ms: 4 }),
      row({ request_id: 'req_c', duration_ms: 12 }),
      row({ request_id: 'req_d', duration_ms: 4.5, api_key_id: 'key_2' }),
    ];
    metrics.observeStored({ inserted: rows, duplicates: 0 });
    metrics.observeStored({ inserted: [row({ request_id: 'req_e', duration_ms: 2 })], duplicates: 0 });
    expect(await value('verilock_api_requests_total', { route: '/v1/sessions/:id', status: '429' })).toBe(5);
    expect(await value('verilock_api_key_requests_total', { api_key: 'key_1' })).toBe(4);
    expect(await value('verilock_api_key_requests_total', { api_key: 'key_2' })).toBe(1);
    const om = await render();
    expect(om).toMatch(
      /verilock_api_request_duration_seconds_bucket\{le="0.005",[^}]*status_class="4xx"[^}]*\} 4 # \{request_id="req_e"\} 0.002/,
    );
    expect(om).toMatch(/verilock_api_request_duration_seconds_bucket\{le="0.025",[^}]*\} 5 # \{request_id="req_c"\} 0.012/);
    expect(om).toMatch(/verilock_api_request_duration_seconds_count\{[^}]*status_class="4xx"[^}]*\} 5/);
    expect(om).not.toMatch(/request_id="req_[abd]"/);
  });
});
