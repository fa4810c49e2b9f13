import { Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { type ExpositionFormat, type Family, writeFamilies } from './exposition.js';
import { registryFamilies } from './registry-families.js';

/** The same metrics and observations in a fresh registry (prom-client's OpenMetrics render renames counters in place). */
function populated(withDefaultLabels: boolean): Registry<RegistryContentType> {
  // OpenMetrics: prom-client accepts exemplars only on such registries.
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  if (withDefaultLabels) registry.setDefaultLabels({ app: 'worker' });
  const registers = [registry];
  const counter = new Counter({
    name: 'verilock_things_total',
    help: 'Things, with "quotes" \\ and\nnewline.',
    labelNames: ['route', 'outcome'],
    registers,
  });
  counter.inc({ route: '/v1/a', outcome: 'ok' }, 3);
  counter.inc({ route: 'odd "route" \\ \n', outcome: 'failed' });
  new Counter({ name: 'verilock_plain_total', help: 'No labels.', registers }).inc(2.5);
  new Gauge({ name: 'verilock_level', help: 'A gauge.', labelNames: ['state'], registers }).set({ state: 'waiting' }, -4);
  new Gauge({ name: 'verilock_unset', help: 'A gauge never set.', registers });
  const histogram = new Histogram({
    name: 'verilock_duration_seconds',
    help: 'Latency.',
    labelNames: ['status'] as string[],
    buckets: [0.1, 1],
    enableExemplars: true,
    registers,
  });
  histogram.observe({ labels: { status: '429' }, value: 0.05, exemplarLabels: { request_id: 'req_1' } });
  histogram.observe({ labels: { status: '200' }, value: 3, exemplarLabels: {} });
  new Histogram({ name: 'verilock_empty_seconds', help: 'Never observed.', buckets: [1], registers });
  return registry;
}

async function theirs(format: ExpositionFormat): Promise<string> {
  const registry = populated(true);
  registry.setContentType(format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  return (await registry.metrics()).replace(/ \d+\.\d+$/gm, ' <time>');
}

async function ours(format: ExpositionFormat): Promise<string | undefined> {
  const body = await writeFamilies(await registryFamilies(populated(false)), {
    format,
    constantLabels: { app: 'worker' },
    wanted: () => true,
  });
  return body?.replace(/ \d+\.\d+$/gm, ' <time>');
}

describe('writeFamilies', () => {
  it.each(['text', 'openmetrics'] as const)('writes %s byte for byte as prom-client does', async (format) => {
    expect(await ours(format)).toBe(await theirs(format));
  });

  it('names counters with _total in both formats, without touching the metric', async () => {
    expect(await ours('openmetrics')).toMatch(
      /^# TYPE verilock_things counter\nverilock_things_total\{route="\/v1\/a",outcome="ok",app="worker"\} 3$/m,
    );
    expect(await ours('text')).toMatch(/^# TYPE verilock_things_total counter$/m);
  });

  it('yields to the event loop between chunks, and gives up once nobody wants the render', async () => {
    const big: Family = {
      name: 'verilock_big_total',
      help: 'Big.',
      type: 'counter',
      *samples() {
        for (let i = 0; i < 10_000; i++) yield { name: 'verilock_big_total', labels: { i }, value: i };
      },
    };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const body = await writeFamilies([big], { format: 'text', constantLabels: {}, wanted: () => true });
    clearInterval(ticker);
    expect(body!.split('\n')).toHaveLength(10_003);
    expect(ticks).toBeGreaterThan(0);
    let checks = 0;
    expect(await writeFamilies([big], { format: 'text', constantLabels: {}, wanted: () => ++checks < 2 })).toBeUndefined();
    expect(checks).toBe(2);
  });
});
