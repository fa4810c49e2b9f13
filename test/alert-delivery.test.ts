import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { alertmanagerBinary, localAlertmanagerConfig, localPrometheusConfig, scaledForRules, shippedRuleFiles } from '#libs/local-stack';
import { Daemon, WebhookReceiver, until } from './support/alert-stack.js';
import { makeRecord } from './support/factories.js';
import { TEST_API_KEY, http } from './support/http.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { freePort } from './support/redis-server.js';
import { testConfig } from './support/test-env.js';

const ROUTE_PATH = '/v1/sessions/ses_4k2j9h7x/approve';
const ROUTE = '/v1/sessions/:id/approve';
const FIVE_XX_ALERTS = ['VerilockApi5xxRatioHigh', 'VerilockApiErrorBudgetBurnFast'];

/**
 * An alert delivered end to end with the shipped files: the real api and worker, a real Prometheus
 * (1 s scrape and evaluation) with the shipped rules — their `for` divided by 60 in an overlay derived
 * from the files, nothing else changed — and a real Alertmanager with the shipped routing, its
 * webhook URLs pointed at a test receiver. A planted 503 burst and 5xx-ratio breach must page with
 * the route and the on-call's links, and recovery must send the resolved notifications.
 */
describe('alert delivery: api → worker → Prometheus → Alertmanager → webhook', () => {
  let pipeline: Pipeline;
  let prometheus: Daemon;
  let alertmanager: Daemon;
  let receiver: WebhookReceiver;
  let promUrl: string;
  let apiPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'verilock-alerts-'));

  const send = async (records: Record<string, unknown>[]) => {
    for (let i = 0; i < records.length; i += 5000)
      await http(pipeline.api.getHttpServer())
        .post('/v1/logs')
        .send(records.slice(i, i + 5000))
        .expect(202);
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
      60_000,
    );
  };
  const records = (count: number, status: number) =>
    Array.from({ length: count }, () =>
      makeRecord({
        status,
        path: ROUTE_PATH,
        timestamp: new Date().toISOString(),
        ...(status >= 500 ? { error: 'service_unavailable', retryAfter: 10 } : {}),
      }),
    );
  const promHas = async (expr: string) => {
    const res = (await (await fetch(`${promUrl}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) })).json()) as {
      data: { result: unknown[] };
    };
    return res.data.result.length > 0;
  };

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    await pipeline.api.listen(0, '127.0.0.1');
    await pipeline.worker!.listen(0, '127.0.0.1');
    apiPort = (pipeline.api.getHttpServer().address() as AddressInfo).port;
    const workerPort = (pipeline.worker!.getHttpServer().address() as AddressInfo).port;
    receiver = await WebhookReceiver.start();

    const ruleFiles = shippedRuleFiles(process.cwd()).map((file) => {
      const overlay = join(dir, basename(file));
      writeFileSync(overlay, scaledForRules(readFileSync(file, 'utf8'), 60));
      return overlay;
    });
    const [amPort, promPort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, 'alertmanager.yml'), localAlertmanagerConfig(process.cwd(), { webhookUrl: receiver.url, groupTiming: '1s' }));
    alertmanager = await Daemon.start(
      alertmanagerBinary(),
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      `http://127.0.0.1:${amPort}/-/ready`,
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      localPrometheusConfig({ root: process.cwd(), apiPort, workerPort, alertmanagerPort: amPort, ruleFiles, interval: '1s' }),
    );
    prometheus = await Daemon.start(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prom')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      `http://127.0.0.1:${promPort}/-/ready`,
    );
    promUrl = `http://127.0.0.1:${promPort}`;
    // Counters must exist in Prometheus before the burst, or increase()/rate() miss its first sample.
    await send([...records(20, 200), ...records(2, 500), ...records(2, 503)]);
    await until(
      () => promHas('verilock_api_requests_total{status="503"} >= 2 and on() verilock_api_requests_total{status="500"} >= 2'),
      'the first 5xx scraped',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await receiver?.close();
    await pipeline?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages VerilockApi503Burst and a 5xx alert with route and links, then sends resolved after recovery', async () => {
    // 1000 responses in a few seconds: 40 503s (> 30 in 2 minutes), 60 500s: 10% 5xx at > 1 req/s.
    await send([...records(900, 200), ...records(60, 500), ...records(40, 503)]);
    const firing = () =>
      receiver.alerts('VerilockApi503Burst', 'firing').length > 0 && FIVE_XX_ALERTS.some((a) => receiver.alerts(a, 'firing').length > 0);
    await until(
      firing,
      `503 burst and 5xx alerts at the receiver ` +
        `(got ${JSON.stringify(receiver.notifications.map((n) => n.alerts.map((a) => a.labels.alertname)))})`,
      120_000,
    );

    const burst = receiver.alerts('VerilockApi503Burst', 'firing')[0];
    expect(burst.receiver).toBe('on-call-page');
    expect(burst.labels.severity).toBe('page');
    expect(burst.annotations.route).toBe(ROUTE);
    expect(burst.annotations.runbook).toBe('docs/runbook.md#verilockapi503burst');
    expect(burst.annotations.spikes).toMatch(
      new RegExp(`^http://localhost:${apiPort}/v1/spikes\\?status=503&from=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`),
    );
    // The on-call's links answer (with a key): the spikes and search API over the alert's window.
    const spikes = await fetch(burst.annotations.spikes.replace('localhost', '127.0.0.1'), { headers: { 'X-API-Key': TEST_API_KEY } });
    expect(spikes.status).toBe(200);
    const search = await fetch(burst.annotations.search.replace('localhost', '127.0.0.1'), { headers: { 'X-API-Key': TEST_API_KEY } });
    expect(search.status).toBe(200);
    expect(
      ((await search.json()) as { items: { status: number; route: string }[] }).items.every((i) => i.status === 503 && i.route === ROUTE),
    ).toBe(true);

    const fiveXx = FIVE_XX_ALERTS.flatMap((a) => receiver.alerts(a, 'firing'));
    for (const alert of fiveXx) {
      expect(alert.receiver).toBe('on-call-page');
      expect(alert.annotations.route).toBe(ROUTE);
      expect(alert.annotations.runbook).toBe(`docs/runbook.md#${alert.labels.alertname.toLowerCase()}`);
      expect(alert.annotations.search).toContain(`/v1/requests?statusClass=5xx&route=${encodeURIComponent(ROUTE)}&from=`);
    }

    // Recovery: 30,000 good responses bring every 5xx ratio under its threshold; the 503 burst leaves
    // its 2-minute window. Each alert that fired must be resolved at the receiver.
    await send(records(30_000, 200));
    const fired = ['VerilockApi503Burst', ...FIVE_XX_ALERTS.filter((a) => receiver.alerts(a, 'firing').length > 0)];
    await until(
      () => fired.every((a) => receiver.alerts(a, 'resolved').length > 0),
      `resolved notifications for ${fired.join(', ')}`,
      300_000,
    );
    expect(receiver.alerts('VerilockApi503Burst', 'resolved')[0].receiver).toBe('on-call-page');
  }, 480_000);
});
