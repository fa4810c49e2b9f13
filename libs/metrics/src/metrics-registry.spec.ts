import { Counter } from 'prom-client';
import { MetricsRenderer, createRegistry } from './metrics-registry.js';

describe('MetricsRenderer', () => {
  const setUp = () => {
    const registry = createRegistry('api');
    new Counter({ name: 'verilock_things_total', help: 'Things.', registers: [registry] }).inc(3);
    return new MetricsRenderer(registry);
  };

  it('serves OpenMetrics only to scrapers that ask for it, the classic text format otherwise', async () => {
    const renderer = setUp();
    const om = await renderer.render('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5');
    expect(om.contentType).toMatch(/^application\/openmetrics-text/);
    expect(om.body).toMatch(/^# TYPE verilock_things counter\nverilock_things_total\{app="api"\} 3$/m);
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    const text = await renderer.render(undefined);
    expect(text.contentType).toMatch(/^text\/plain; version=0.0.4/);
    expect(text.body).toMatch(/^# TYPE verilock_things_total counter\nverilock_things_total\{app="api"\} 3$/m);
  });

  it('keeps each concurrent render in its own format', async () => {
    const renderer = setUp();
    const accepts = ['application/openmetrics-text', 'text/plain', 'application/openmetrics-text', '*/*'];
    const bodies = await Promise.all(accepts.map((a) => renderer.render(a)));
    expect(bodies.map((b) => b.body.includes('# TYPE verilock_things_total counter'))).toEqual([false, true, false, true]);
    expect(bodies.map((b) => b.body.includes('# EOF'))).toEqual([true, false, true, false]);
  });

  it('drops the default gauges that prom-client names `_total`', async () => {
    const { body } = await setUp().render('text/plain');
    expect(body).not.toContain('nodejs_active_handles_total');
    expect(body).toContain('process_cpu_seconds_total');
  });
});
