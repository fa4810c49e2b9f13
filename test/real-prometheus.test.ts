import type { AddressInfo } from 'node:net';
import { http } from './support/http.js';
import { makeRecord } from './support/factories.js';
import { labelValuesVariables, panelQueries, seriesSelectors, substitutePromql, substituteSql } from './support/dashboard-queries.js';
import { RULES_DIR, filesIn, shippedRules } from './support/observability-files.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { PrometheusServer } from './support/prometheus-server.js';
import { testConfig } from './support/test-env.js';
import { variedRecords } from './support/varied-records.js';

describe('dashboards and rules against a real Prometheus scraping the running api and worker', () => {
  let pipeline: Pipeline;
  let prometheus: PrometheusServer;
  const stored: string[] = [];
  const startedAt = new Date();

  const ingest = async (records: ReturnType<typeof variedRecords>) => {
    // One invalid record per wave: the rejected counters move too.
    await http(pipeline.api.getHttpServer())
      .post('/v1/logs')
      .send([...records, makeRecord({ status: 999 })])
      .expect(202);
    const ids = records.map((r) => r.requestId);
    await waitUntilStored(pipeline.db, ids);
    stored.push(...ids);
    // Wait until Prometheus has scraped them, so the next wave moves the counters between scrapes.
    await prometheus.waitFor(
      () => prometheus.hasData(`sum(verilock_ingest_records_stored_total) >= ${stored.length}`),
      'stored records scraped',
    );
  };

  beforeAll(async () => {
    // DATABASE_READ_URL on the same server (not a standby: lag 0) makes the api export the read replica's
    // series, which its alerts select (test/read-replica.test.ts runs a real standby).
    pipeline = await startPipeline(testConfig({ INGEST_JOB_BATCH_SIZE: '100', DATABASE_READ_URL: process.env.DATABASE_URL! }));
    const address = async (app: NonNullable<Pipeline['worker']>) => {
      await app.listen(0, '127.0.0.1');
      return `127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    };
    prometheus = await PrometheusServer.start({
      jobs: { 'verilock-api': await address(pipeline.api), 'verilock-worker': await address(pipeline.worker!) },
      ruleFiles: filesIn(RULES_DIR, '.rules.yml'),
    });
    await prometheus.waitFor(() => prometheus.hasData('count(up{job=~"verilock-.*"} == 1) == 2'), 'both targets scraped');
    // Two waves, scrapes in between, so every rate() sees counters move.
    await ingest(variedRecords(600));
    await ingest(variedRecords(600));
    await prometheus.waitFor(() => prometheus.hasData('verilock:api_requests:rate5m > 0'), 'rules evaluated on scraped data');
    // Each rule group evaluates on its own tick: let every recording rule see the data once.
    const records = shippedRules().flatMap((r) => (r.record ? [r.record] : []));
    await prometheus.waitFor(
      async () => (await Promise.all(records.map((r) => prometheus.hasData(r)))).every(Boolean),
      'every recording rule evaluated',
      10_000,
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await pipeline?.close();
  });

  it('scrapes both apps without errors, in OpenMetrics with request-id exemplars', async () => {
    const targets = await prometheus.get<{ data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] } }>(
      '/api/v1/targets',
    );
    expect(
      targets.data.activeTargets
        .map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }))
        .sort((a, b) => a.job.localeCompare(b.job)),
    ).toEqual([
      { job: 'verilock-api', health: 'up', lastError: '' },
      { job: 'verilock-worker', health: 'up', lastError: '' },
    ]);
    const end = Date.now() / 1000;
    const exemplars = await prometheus.get<{ data: { exemplars: { labels: { request_id: string } }[] }[] }>(
      `/api/v1/query_exemplars?query=verilock_api_request_duration_seconds_bucket&start=${end - 600}&end=${end}`,
    );
    const ids = exemplars.data.flatMap((s) => s.exemplars.map((e) => e.labels.request_id));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => stored.includes(id))).toBe(true);
  });

  it('every PromQL expression of every dashboard panel parses and returns data', async () => {
    const queries = panelQueries().filter((q) => q.language === 'promql');
    expect(queries.length).toBeGreaterThanOrEqual(30);
    const problems: string[] = [];
    for (const q of queries) {
      const expr = substitutePromql(q.text);
      if (expr.includes('$')) problems.push(`${q.where}: unsubstituted variable in ${expr}`);
      const res = await prometheus.query(expr);
      if (res.status !== 'success') problems.push(`${q.where}: ${res.error}`);
      else if (res.data.result.length === 0) problems.push(`${q.where}: no data for ${expr}`);
    }
    expect(problems).toEqual([]);
  });

  it('every dashboard variable lists values', async () => {
    const variables = labelValuesVariables();
    expect(variables.length).toBeGreaterThanOrEqual(2);
    for (const v of variables) {
      const res = await prometheus.get<{ data: string[] }>(`/api/v1/label/${v.label}/values?match[]=${encodeURIComponent(v.metric)}`);
      expect({ variable: v.where, values: res.data.length > 0 }).toEqual({ variable: v.where, values: true });
    }
  });

  it('every recording rule returns data, and every alert expression parses over series that exist', async () => {
    const rules = shippedRules();
    expect(rules.length).toBeGreaterThanOrEqual(20);
    expect(seriesSelectors('sum by (le) (increase(a_total{s="5"}[2m])) > 0.5 and b:c:rate1h or absent(up{job="w"})')).toEqual([
      'a_total{s="5"}',
      'b:c:rate1h',
      'up{job="w"}',
    ]);
    const problems: string[] = [];
    for (const rule of rules) {
      const res = await prometheus.query(rule.expr);
      if (res.status !== 'success') problems.push(`${rule.record ?? rule.alert}: ${res.error}`);
      if (rule.record && !(await prometheus.hasData(rule.record))) problems.push(`recording rule ${rule.record}: no data`);
      if (rule.alert) {
        for (const selector of seriesSelectors(rule.expr)) {
          if (!(await prometheus.hasData(selector))) problems.push(`alert ${rule.alert}: no series for ${selector}`);
        }
      }
    }
    expect(problems).toEqual([]);
    const rulesApi = await prometheus.get<{ data: { groups: { rules: { health: string; name: string; lastError?: string }[] }[] } }>(
      '/api/v1/rules',
    );
    const unhealthy = rulesApi.data.groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
    expect(unhealthy).toEqual([]);
  });

  it('every Postgres panel query runs against the real database and returns rows', async () => {
    const queries = panelQueries().filter((q) => q.language === 'sql');
    expect(queries.length).toBeGreaterThanOrEqual(4);
    const window = { from: new Date(startedAt.getTime() - 3600_000), to: new Date() };
    for (const q of queries) {
      const sql = substituteSql(q.text, { requestId: stored[3], ...window });
      expect(sql).not.toContain('$');
      const { rows } = await pipeline.db.query(sql);
      expect({ panel: q.where, rows: rows.length > 0 }).toEqual({ panel: q.where, rows: true });
      // Whatever support staff paste into the text box stays a string literal.
      await pipeline.db.query(substituteSql(q.text, { requestId: "x'; DROP TABLE request_logs; --", ...window }));
    }
  });
});
