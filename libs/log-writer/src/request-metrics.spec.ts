import { loadConfig } from '#libs/config';
import { MetricSources, MetricsRenderer, createRegistry } from '#libs/metrics';
import type { InsertedRow } from '#libs/store';
import { REQUEST_METRICS_CONFIG } from './request-metrics.config.js';
import { RequestMetrics } from './request-metrics.js';

function row(i: number, overrides: Partial<InsertedRow> = {}): InsertedRow {
  return {
    request_id: `req_${i}`,
    sent_at_ms: 0,
    method: 'POST',
    route: '/v1/sessions',
    status: 201,
    duration_ms: 5,
    error_code: null,
    retry_after: null,
    api_key_id: 'key_live',
    ...overrides,
  };
}

function setUp(vars: Record<string, string>) {
  const registry = createRegistry();
  const sources = new MetricSources();
  let now = 0;
  const metrics = new RequestMetrics(registry, sources, loadConfig([REQUEST_METRICS_CONFIG], vars).requestMetrics, () => now);
  const renderer = new MetricsRenderer({ app: 'worker', registry, sources, cacheMs: 0 });
  const lines = async () => (await renderer.render('text/plain', () => false))!.body.split('\n').filter((l) => l && !l.startsWith('#'));
  const sum = async (prefix: string, ...parts: string[]) =>
    (await lines())
      .filter((l) => l.startsWith(prefix) && parts.every((p) => l.includes(p)))
      .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  return { metrics, lines, sum, advance: (ms: number) => (now += ms) };
}

/** `n` records (never a 409), each its own combination of route, status, error code and key: a #2-style flood. */
const flood = (n: number, tag = 'junk') =>
  Array.from({ length: n }, (_, i) =>
    row(i, { route: `/v1/${tag}/r${i % 97}`, status: 420 + (i % 50), error_code: `${tag}_e${i % 89}`, api_key_id: `${tag}_k${i}` }),
  );

describe('RequestMetrics', () => {
  it('keeps every verilock_api_* sample within METRICS_MAX_SERIES, counting every record and the folds', async () => {
    const { metrics, lines, sum } = setUp({
      METRICS_MAX_SERIES: '2000',
      METRICS_MAX_ROUTES: '100',
      METRICS_MAX_API_KEYS: '100',
      METRICS_MAX_ERROR_CODES: '100',
    });
    for (let batch = 0; batch < 10; batch++) metrics.observe(flood(1000, `b${batch}`));
    const exposed = (await lines()).filter((l) => l.startsWith('verilock_api_'));
    expect(exposed.length).toBeLessThanOrEqual(2000);
    expect(exposed.length).toBeGreaterThan(1000); // the room kept for the fully folded series may stay unused
    expect(await sum('verilock_metrics_series ')).toBeLessThanOrEqual(2000);
    expect(await sum('verilock_api_requests_total')).toBe(10_000);
    expect(await sum('verilock_api_key_requests_total')).toBe(10_000);
    expect(await sum('verilock_api_request_duration_seconds_count')).toBe(10_000);
    expect(await sum('verilock_metrics_folded_records_total', 'reason="series_budget"', 'label="error_code"')).toBeGreaterThan(0);
    expect(await sum('verilock_metrics_folded_records_total', 'reason="label_cap"', 'label="api_key"')).toBeGreaterThan(0);
  });

  it('gives a real error code from a real key its own series once junk stops, without a restart', async () => {
    const { metrics, sum, advance } = setUp({
      METRICS_MAX_SERIES: '2000',
      METRICS_MAX_ERROR_CODES: '20',
      METRICS_MAX_API_KEYS: '20',
      METRICS_LABEL_RERANK_SECONDS: '10',
    });
    metrics.observe(flood(5000));
    const conflict = (i: number) =>
      row(100_000 + i, { route: '/v1/sessions/:id/approve', status: 409, error_code: 'conflict', api_key_id: 'key_live_12' });
    metrics.observe([conflict(0)]);
    // The budget is full too: the first conflict is counted in the fully folded series (status too).
    const folded = ['route="other"', 'status="other"', 'status_class="4xx"', 'error_code="other"'];
    const foldedBefore = await sum('verilock_api_requests_total', ...folded);
    expect(foldedBefore).toBeGreaterThan(1);
    expect(await sum('verilock_api_requests_total', 'error_code="conflict"')).toBe(0);
    // A real client keeps getting 409s, ten per interval; each junk value had ~56 records, halving per
    // interval (an admitted value counts double): conflict overtakes it after four intervals.
    let intervals = 0;
    while ((await sum('verilock_api_requests_total', 'error_code="conflict"')) === 0 && intervals < 8) {
      advance(10_000);
      intervals++;
      metrics.observe(Array.from({ length: 10 }, (_, i) => conflict(intervals * 10 + i)));
    }
    expect(intervals).toBe(4);
    expect(await sum('verilock_api_requests_total', 'route="/v1/sessions/:id/approve"', 'error_code="conflict"', 'status="409"')).toBe(10);
    // keys were one-offs: sooner
    expect(await sum('verilock_api_key_requests_total', 'api_key="key_live_12"', 'status="409"')).toBeGreaterThanOrEqual(10);
    // What was counted under "other" stays there (the junk values' own series went with their labels).
    expect(await sum('verilock_api_requests_total', ...folded)).toBeGreaterThanOrEqual(foldedBefore);
  });

  it('frees the room of series nothing was counted in since the budget refused one', async () => {
    const { metrics, sum, advance } = setUp({ METRICS_MAX_SERIES: '1000', METRICS_LABEL_RERANK_SECONDS: '10' });
    // Real routes and keys, junk only in status × method: every label admitted, the budget full.
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    metrics.observe(
      Array.from({ length: 2000 }, (_, i) => row(i, { method: methods[i % 5], route: `/v1/r${i % 10}`, status: 200 + (i % 300) })),
    );
    const fresh = () => metrics.observe([row(9999, { route: '/v1/new', status: 201 })]);
    fresh();
    expect(await sum('verilock_api_requests_total', 'route="/v1/new"')).toBe(0);
    advance(10_000);
    fresh(); // re-rank: the flood's series were idle, they go; the new route's series fits again
    advance(10_000);
    fresh();
    expect(await sum('verilock_api_requests_total', 'route="/v1/new"')).toBeGreaterThan(0);
  });
});
