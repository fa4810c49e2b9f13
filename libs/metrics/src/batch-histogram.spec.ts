import { Histogram } from 'prom-client';
import { BatchHistogram } from './batch-histogram.js';
import { createRegistry } from './metrics-registry.js';

const buckets = [0.005, 0.01, 0.025, 0.1, 1, 10];
const observations = [
  { labels: { method: 'GET', route: '/v1/sessions/:id', status_class: '2xx' }, value: 0.004, id: 'req_a' },
  { labels: { method: 'GET', route: '/v1/sessions/:id', status_class: '2xx' }, value: 0.005, id: 'req_b' },
  { labels: { method: 'POST', route: '/v1/sessions', status_class: '4xx' }, value: 0.3, id: 'req_c' },
  { labels: { method: 'GET', route: '/v1/sessions/:id', status_class: '2xx' }, value: 0.0049, id: undefined },
  { labels: { method: 'POST', route: '/v1/sessions', status_class: '4xx' }, value: 42, id: 'req_d' },
  { labels: { method: 'GET', route: 'with "quotes" \\ and\nnewline', status_class: '5xx' }, value: 0.02, id: 'req_e' },
  { labels: { method: 'POST', route: '/v1/sessions', status_class: '4xx' }, value: 10, id: 'req_f' },
];

/** The same observations through prom-client's Histogram and through BatchHistogram, rendered by one registry each. */
async function renderBoth(contentType: 'openmetrics' | 'text') {
  const theirs = createRegistry('worker');
  const ours = createRegistry('worker');
  const name = 'verilock_test_duration_seconds';
  const labelNames = ['method', 'route', 'status_class'];
  const reference = new Histogram({ name, help: 'Test.', labelNames, buckets, enableExemplars: true, registers: [theirs] });
  const batch = new BatchHistogram({ name, help: 'Test.', labelNames, buckets, exemplarLabel: 'request_id', registers: [ours] });
  for (const { labels, value, id } of observations) {
    reference.observe({ labels, value, exemplarLabels: id ? { request_id: id } : {} });
    batch.cell(labels).observe(value, id);
  }
  if (contentType === 'text') for (const r of [theirs, ours]) r.setContentType('text/plain; version=0.0.4; charset=utf-8' as never);
  const only = async (registry: typeof theirs) => (await registry.getSingleMetricAsString(name)).replace(/ \d+\.\d+$/gm, ' <time>');
  return { theirs: await only(theirs), ours: await only(ours), json: [await reference.get(), await batch.get()] };
}

describe('BatchHistogram', () => {
  it('renders OpenMetrics, exemplars included, exactly as prom-client Histogram does for the same observations', async () => {
    const { theirs, ours } = await renderBoth('openmetrics');
    expect(ours).toBe(theirs);
    expect(ours).toContain('verilock_test_duration_seconds_bucket{le="0.005",app="worker",method="GET",route="/v1/sessions/:id",status_class="2xx"} 3 # {request_id="req_b"} 0.005 <time>');
    expect(ours).toContain('verilock_test_duration_seconds_bucket{le="+Inf",app="worker",method="POST",route="/v1/sessions",status_class="4xx"} 3 # {request_id="req_d"} 42 <time>');
  });

  it('renders the classic text format and get() the same way too', async () => {
    const { theirs, ours, json } = await renderBoth('text');
    expect(ours).toBe(theirs);
    const [reference, batch] = json;
    const strip = (values: { labels: object; value: number; metricName?: string }[]) => values.map(({ labels, value, metricName }) => ({ labels, value, metricName }));
    expect(strip(batch!.values)).toEqual(strip(reference!.values));
  });

  it('shows zero buckets for a histogram without labels before any observation, like prom-client', async () => {
    const theirs = createRegistry('worker');
    const ours = createRegistry('worker');
    new Histogram({ name: 'verilock_test_lag_seconds', help: 'Lag.', buckets, registers: [theirs] });
    new BatchHistogram({ name: 'verilock_test_lag_seconds', help: 'Lag.', labelNames: [], buckets, registers: [ours] });
    expect(await ours.getSingleMetricAsString('verilock_test_lag_seconds')).toBe(await theirs.getSingleMetricAsString('verilock_test_lag_seconds'));
  });

  it('refuses a label set that does not match its label names', () => {
    const batch = new BatchHistogram({ name: 'verilock_test_x', help: 'X.', labelNames: ['a', 'b'], buckets, registers: [] });
    expect(() => batch.cell({ a: '1' })).toThrow(/do not match/);
    expect(() => batch.cell({ a: '1', b: '2', c: '3' })).toThrow(/do not match/);
  });
});
