import { gunzipSync } from 'node:zlib';
import { Counter } from 'prom-client';
import type { Family } from './exposition.js';
import { MetricSources, createRegistry } from './metrics-registry.js';
import { MetricsRenderer } from './metrics-renderer.js';

const present = () => false;
/** verilock_metrics_renders_total{format="text"} in an exposition. */
const textRenders = (body: string) => Number(/^verilock_metrics_renders_total\{format="text",app="api"\} (\d+)$/m.exec(body)?.[1]);

function setUp(cacheMs = 0, samples = 0) {
  const registry = createRegistry();
  new Counter({ name: 'verilock_things_total', help: 'Things.', registers: [registry] }).inc(3);
  const sources = new MetricSources();
  const big: Family = {
    name: 'verilock_big_total',
    help: 'Big.',
    type: 'counter',
    *samples() {
      for (let i = 0; i < samples; i++) yield { name: 'verilock_big_total', labels: { i }, value: i };
    },
  };
  sources.add({ families: () => [big] });
  return new MetricsRenderer({ app: 'api', registry, sources, cacheMs });
}

const renders = async (renderer: MetricsRenderer) => textRenders((await renderer.render('text/plain', present))!.body);

describe('MetricsRenderer', () => {
  it('serves OpenMetrics only to scrapers that ask for it, the classic text format otherwise', async () => {
    const renderer = setUp();
    const om = (await renderer.render('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5', present))!;
    expect(om.contentType).toMatch(/^application\/openmetrics-text/);
    expect(om.body).toMatch(/^# TYPE verilock_things counter\nverilock_things_total\{app="api"\} 3$/m);
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    const text = (await renderer.render(undefined, present))!;
    expect(text.contentType).toMatch(/^text\/plain; version=0.0.4/);
    expect(text.body).toMatch(/^# TYPE verilock_things_total counter\nverilock_things_total\{app="api"\} 3$/m);
  });

  it('keeps each concurrent render in its own format', async () => {
    const renderer = setUp();
    const accepts = ['application/openmetrics-text', 'text/plain', 'application/openmetrics-text', '*/*'];
    const bodies = await Promise.all(accepts.map((a) => renderer.render(a, present)));
    expect(bodies.map((b) => b!.body.includes('# TYPE verilock_things_total counter'))).toEqual([false, true, false, true]);
    expect(bodies.map((b) => b!.body.includes('# EOF'))).toEqual([true, false, true, false]);
  });

  it('drops the default gauges that prom-client names `_total`', async () => {
    const { body } = (await setUp().render('text/plain', present))!;
    expect(body).not.toContain('nodejs_active_handles_total');
    expect(body).toContain('process_cpu_seconds_total');
  });

  it('renders once for concurrent scrapers, and again only after the cache time', async () => {
    const renderer = setUp(60_000, 5000);
    const bodies = await Promise.all(Array.from({ length: 20 }, () => renderer.render('text/plain', present)));
    expect(new Set(bodies.map((b) => b!.body)).size).toBe(1);
    expect(textRenders(bodies[0]!.body)).toBe(1);
    expect(await renders(renderer)).toBe(1); // from the cache
    expect(gunzipSync(await bodies[0]!.gzip()).equals(bodies[0]!.bytes)).toBe(true);
    const uncached = setUp(0);
    await renders(uncached);
    expect(await renders(uncached)).toBe(2);
  });

  it('renders nothing for a scraper that has gone, and abandons a render every scraper left', async () => {
    const renderer = setUp(60_000, 20_000);
    expect(await renderer.render('text/plain', () => true)).toBeUndefined();
    let left = false;
    const abandoned = renderer.render('text/plain', () => left);
    setImmediate(() => (left = true));
    expect(await abandoned).toBeUndefined();
    // The abandoned render is not cached: the next scraper gets a complete one, the second render.
    const { body } = (await renderer.render('text/plain', present))!;
    expect(body.split('\n').filter((l) => l.startsWith('verilock_big_total'))).toHaveLength(20_000);
    expect(textRenders(body)).toBe(2);
  });
});
