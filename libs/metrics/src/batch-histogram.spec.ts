import { Histogram, Registry, type RegistryContentType } from 'prom-client';
import { BatchHistogram } from './batch-histogram.js';
import { type ExpositionFormat, type Family, writeFamilies } from './exposition.js';
import { registryFamilies } from './registry-families.js';

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

const write = async (families: Family[], format: ExpositionFormat) =>
  (await writeFamilies(families, { format, constantLabels: { app: 'worker' }, wanted: () => true }))!.replace(/ \d+\.\d+$/gm, ' <time>');

/** The same observations through prom-client's Histogram and through BatchHistogram, written by writeFamilies. */
async function renderBoth(format: ExpositionFormat) {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const name = 'verilock_test_duration_seconds';
  const labelNames = ['method', 'route', 'status_class'];
  const reference = new Histogram({ name, help: 'Test.', labelNames, buckets, enableExemplars: true, registers: [registry] });
  const batch = new BatchHistogram({ name, help: 'Test.', labelNames, buckets, exemplarLabel: 'request_id' });
  for (const { labels, value, id } of observations) {
    reference.observe({ labels, value, exemplarLabels: id ? { request_id: id } : {} });
    batch.cell(labels).observe(value, id);
  }
  return { theirs: await write(await registryFamilies(registry), format), ours: await write(batch.families(), format) };
}

describe('BatchHistogram', () => {
  it('renders OpenMetrics, exemplars included, exactly as prom-client Histogram does for the same observations', async () => {
    const { theirs, ours } = await renderBoth('openmetrics');
    expect(ours).toBe(theirs);
    expect(ours).toContain(
      'verilock_test_duration_seconds_bucket{le="0.005",app="worker",method="GET",route="/v1/sessions/:id",status_class="2xx"} 3 ' +
        '# {request_id="req_b"} 0.005 <time>',
    );
    expect(ours).toContain(
      'verilock_test_duration_seconds_bucket{le="+Inf",app="worker",method="POST",route="/v1/sessions",status_class="4xx"} 3 ' +
        '# {request_id="req_d"} 42 <time>',
    );
  });

  it('renders the classic text format the same way too', async () => {
    const { theirs, ours } = await renderBoth('text');
    expect(ours).toBe(theirs);
    expect(ours).toContain('verilock_test_duration_seconds_count{app="worker",method="POST",route="/v1/sessions",status_class="4xx"} 3');
  });

  it('shows zero buckets for a histogram without labels before any observation, like prom-client', async () => {
    const registry = new Registry<RegistryContentType>();
    new Histogram({ name: 'verilock_test_lag_seconds', help: 'Lag.', buckets, registers: [registry] });
    const batch = new BatchHistogram({ name: 'verilock_test_lag_seconds', help: 'Lag.', labelNames: [], buckets });
    expect(await write(batch.families(), 'text')).toBe(await write(await registryFamilies(registry), 'text'));
  });

  it('refuses a label set that does not match its label names', () => {
    const batch = new BatchHistogram({ name: 'verilock_test_x', help: 'X.', labelNames: ['a', 'b'], buckets });
    expect(() => batch.cell({ a: '1' })).toThrow(/do not match/);
    expect(() => batch.cell({ a: '1', b: '2', c: '3' })).toThrow(/do not match/);
  });
});
