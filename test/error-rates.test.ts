import type { Job } from 'bullmq';
import { validateRecord } from '#libs/access-log';
import { LogWriterProcessor } from '#libs/log-writer';
import { RollupRetention } from '#libs/store';
import type { IngestJobData } from '#libs/queue';
import { makeRecord } from './support/factories.js';
import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { minutesAfter, plant, quietPastWindow, uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

const STATUSES = [200, 200, 200, 201, 204, 400, 404, 409, 422, 429, 500, 503];

describe('GET /v1/error-rates', () => {
  let pipeline: Pipeline;
  let t0: Date;
  let records: Record<string, unknown>[];
  let range: { from: string; to: string };
  const tag = uniqueTag();
  const keys = [`key_a_${tag}`, `key_b_${tag}`, `key_c_${tag}`];
  const routes = [`/v1/sessions-${tag}`, `/v1/documents-${tag}`];

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    // A window no stored row touches (zero-filled buckets and unfiltered counts are asserted), on a
    // 5-minute boundary so the 30 minutes make exactly six 5m buckets.
    t0 = new Date(Math.floor((await quietPastWindow(pipeline.db, 45, 65)).getTime() / 300_000) * 300_000);
    range = { from: t0.toISOString(), to: minutesAfter(t0, 30).toISOString() };
    // 30 minutes of mixed traffic: 1200 records spread unevenly over minutes, keys, routes and statuses.
    records = Array.from({ length: 1200 }, (_, i) =>
      makeRecord({
        timestamp: new Date(t0.getTime() + ((i * 7919) % (30 * 60_000))).toISOString(),
        status: STATUSES[(i * 31) % STATUSES.length],
        apiKeyId: keys[i % 3],
        path: routes[(i >> 2) % 2],
        method: i % 5 === 0 ? 'GET' : 'POST',
      }),
    );
    await plant(pipeline, records);
  }, 60_000);
  afterAll(() => pipeline.close());

  const rates = (query: Record<string, string>) => http(pipeline.api.getHttpServer()).get('/v1/error-rates').query(query);

  /** Counts per (bucket start, status) straight from the raw rows. */
  async function rawCounts(intervalSeconds: number, where = 'TRUE', parameters: unknown[] = []) {
    const { rows } = await pipeline.db.query<{ start: Date; status: number; n: string }>(
      `SELECT to_timestamp(floor(extract(epoch FROM sent_at) / ${intervalSeconds}) * ${intervalSeconds}) AS start, status, count(*) AS n
       FROM request_logs WHERE sent_at >= $1 AND sent_at < $2 AND ${where} GROUP BY 1, 2`,
      [range.from, range.to, ...parameters],
    );
    return rows;
  }

  function expectBucketsMatch(
    buckets: { start: string; total: number; byStatus: Record<string, number> }[],
    raw: { start: Date; status: number; n: string }[],
  ) {
    const expected = new Map<string, Record<string, number>>();
    for (const row of raw)
      (expected.get(row.start.toISOString()) ?? expected.set(row.start.toISOString(), {}).get(row.start.toISOString())!)[row.status] =
        Number(row.n);
    for (const bucket of buckets) expect(bucket.byStatus).toEqual(expected.get(bucket.start) ?? {});
    expect(buckets.reduce((s, b) => s + b.total, 0)).toBe(raw.reduce((s, r) => s + Number(r.n), 0));
  }

  it('counts per 5-minute bucket exactly what the raw rows hold, with 4xx, 5xx and the error ratio', async () => {
    const res = await rates({ ...range, interval: '5m' }).expect(200);
    expect(res.body).toMatchObject({ from: range.from, to: range.to, interval: '5m', groupBy: null });
    const [series] = res.body.series;
    expect(series.buckets).toHaveLength(6);
    expectBucketsMatch(series.buckets, await rawCounts(300));
    for (const b of series.buckets) {
      const count = (prefix: string) =>
        Object.entries(b.byStatus as Record<string, number>)
          .filter(([s]) => s.startsWith(prefix))
          .reduce((n, [, c]) => n + c, 0);
      expect(b.status4xx).toBe(count('4'));
      expect(b.status5xx).toBe(count('5'));
      expect(b.errorRatio).toBeCloseTo((b.status4xx + b.status5xx) / b.total, 10);
    }
  });

  it('filters and groups like the raw rows: by route for one API key, by status class for one route', async () => {
    const byRoute = await rates({ ...range, interval: '1m', apiKeyId: keys[1], groupBy: 'route' }).expect(200);
    expect(byRoute.body.series.map((s: { group: string }) => s.group).sort()).toEqual([...routes].sort());
    for (const series of byRoute.body.series) {
      expect(series.buckets).toHaveLength(30);
      expectBucketsMatch(series.buckets, await rawCounts(60, 'api_key_id = $3 AND route = $4', [keys[1], series.group]));
    }
    const byClass = await rates({ ...range, interval: '1h', route: routes[0], method: 'get', groupBy: 'statusClass' }).expect(200);
    const total = (group: string) => byClass.body.series.find((s: { group: string }) => s.group === group)?.total ?? 0;
    const expected = (lo: number) =>
      records.filter((r) => r.path === routes[0] && r.method === 'GET' && (r.status as number) >= lo && (r.status as number) < lo + 100)
        .length;
    expect([total('2xx'), total('4xx'), total('5xx')]).toEqual([expected(200), expected(400), expected(500)]);
  });

  it('groups by API key and by error code from the rollups that hold them', async () => {
    const byKey = await rates({ ...range, interval: '5m', groupBy: 'apiKeyId', statusClass: '4xx' }).expect(200);
    for (const key of keys) {
      const expected = records.filter((r) => r.apiKeyId === key && (r.status as number) >= 400 && (r.status as number) < 500).length;
      expect(expected).toBeGreaterThan(0);
      expect(byKey.body.series.find((s: { group: string }) => s.group === key)?.total).toBe(expected);
    }
    const byCode = await rates({ ...range, interval: '1h', route: routes[1], groupBy: 'errorCode', top: '50' }).expect(200);
    const raw = await pipeline.db.query<{ code: string | null; n: string }>(
      'SELECT error_code AS code, count(*) AS n FROM request_logs WHERE sent_at >= $1 AND sent_at < $2 AND route = $3 GROUP BY 1',
      [range.from, range.to, routes[1]],
    );
    expect(Object.fromEntries(byCode.body.series.map((s: { group: string | null; total: number }) => [String(s.group), s.total]))).toEqual(
      Object.fromEntries(raw.rows.map((r) => [String(r.code), Number(r.n)])),
    );
  });

  it('picks the interval automatically and zero-fills empty buckets', async () => {
    const res = await rates({ from: minutesAfter(t0, -60).toISOString(), to: range.to, status: '503' }).expect(200);
    expect(res.body.interval).toBe('1m');
    expect(res.body.series[0].buckets).toHaveLength(90);
    expect(res.body.series[0].buckets[0]).toEqual({
      start: minutesAfter(t0, -60).toISOString(),
      total: 0,
      status4xx: 0,
      status5xx: 0,
      byStatus: {},
      errorRatio: null,
    });
    const week = await rates({ from: t0.toISOString(), to: minutesAfter(t0, 7 * 1440).toISOString() }).expect(200);
    expect(week.body.interval).toBe('1h');
  });

  /** A queue job as the producer builds it, for calling the processor directly. */
  function jobOf(batch: Record<string, unknown>[]): Job<IngestJobData> {
    const valid = batch.map((r) => {
      const result = validateRecord(r, { maxFutureSkewSeconds: 60, maxAgeDays: 90 });
      if (!result.ok) throw new Error('factory record invalid');
      return result.record;
    });
    return { data: { records: valid, receivedAt: new Date().toISOString(), source: 'http' } } as Job<IngestJobData>;
  }

  it('never double counts a batch processed twice (a redelivered job)', async () => {
    const start = minutesAfter(t0, 40);
    const job = jobOf(
      Array.from({ length: 20 }, (_, i) =>
        makeRecord({ timestamp: new Date(start.getTime() + i * 1000).toISOString(), status: 503, apiKeyId: keys[2] }),
      ),
    );
    const processor = pipeline.worker!.get(LogWriterProcessor);
    await processor.process(job);
    expect(await processor.process(job)).toEqual({ inserted: 0, duplicates: 20, deadLettered: 0, conflicting: 0 });
    const res = await rates({ from: start.toISOString(), to: minutesAfter(start, 1).toISOString(), apiKeyId: keys[2] }).expect(200);
    expect(res.body.series[0].buckets[0]).toMatchObject({ total: 20, status5xx: 20, byStatus: { 503: 20 } });
    const unfiltered = await rates({ from: start.toISOString(), to: minutesAfter(start, 1).toISOString(), status: '503' }).expect(200);
    expect(unfiltered.body.series[0].buckets[0].total).toBe(20);
  });

  it('counts every row of concurrent batches upserting the same rollup rows (no deadlock, no lost update)', async () => {
    const start = minutesAfter(t0, 42);
    // Eight batches, all touching the same three minutes and dimension values, in opposite orders.
    const jobs = Array.from({ length: 8 }, (_, j) =>
      jobOf(
        Array.from({ length: 60 }, (_, i) => {
          const k = j % 2 ? 59 - i : i;
          return makeRecord({
            timestamp: new Date(start.getTime() + k * 3000).toISOString(),
            status: [200, 429, 503][k % 3],
            apiKeyId: keys[k % 3],
            path: routes[k % 2],
          });
        }),
      ),
    );
    const processor = pipeline.worker!.get(LogWriterProcessor);
    const outcomes = await Promise.all([...jobs, ...jobs].map((job) => processor.process(job)));
    expect(outcomes.reduce((n, o) => n + o.inserted, 0)).toBe(480);
    const res = await rates({ from: start.toISOString(), to: minutesAfter(start, 3).toISOString(), interval: '1m' }).expect(200);
    expect(res.body.series[0].buckets.map((b: { total: number }) => b.total)).toEqual([160, 160, 160]);
    const byKey = await rates({ from: start.toISOString(), to: minutesAfter(start, 3).toISOString(), groupBy: 'apiKeyId' }).expect(200);
    expect(byKey.body.series.map((s: { total: number }) => s.total)).toEqual([160, 160, 160]);
  });

  it('purges rollup minutes older than ROLLUP_RETENTION_DAYS and keeps younger ones', async () => {
    const ancient = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 500 * 86_400_000);
    await pipeline.db.query(
      `INSERT INTO request_rollups_minute (bucket, status, method, route, error_code, api_key_id, count, duration_ms_sum, duration_ms_max)
       VALUES ($1, 200, 'GET', $2, NULL, NULL, 1, 1, 1)`,
      [ancient, routes[0]],
    );
    expect(await pipeline.worker!.get(RollupRetention).run()).toBeGreaterThanOrEqual(1);
    const left = await pipeline.db.query('SELECT 1 FROM request_rollups_minute WHERE route = ANY($1) AND bucket = $2', [routes, ancient]);
    expect(left.rowCount).toBe(0);
    const kept = await rates({ ...range, apiKeyId: keys[0] }).expect(200);
    expect(kept.body.series[0].total).toBe(records.filter((r) => r.apiKeyId === keys[0]).length);
  });

  it('answers 422 for bad parameters and for more buckets than allowed, never a slow query', async () => {
    const bad = await rates({ interval: '2m', groupBy: 'colour', top: '0', statusClass: 'server' }).expect(422);
    expect(Object.keys(bad.body.details).sort()).toEqual(['groupBy', 'interval', 'statusClass', 'top']);
    const tooMany = await rates({ from: t0.toISOString(), to: minutesAfter(t0, 3 * 1440).toISOString(), interval: '1m' }).expect(422);
    expect(Object.keys(tooMany.body.details)).toEqual(['interval']);
    const tooLong = await rates({ from: t0.toISOString(), to: minutesAfter(t0, 40 * 1440).toISOString(), interval: '1d' }).expect(422);
    expect(Object.keys(tooLong.body.details)).toEqual(['to']);
    const perKey = await rates({
      from: t0.toISOString(),
      to: minutesAfter(t0, 2 * 1440).toISOString(),
      interval: '1h',
      groupBy: 'apiKeyId',
    }).expect(422);
    expect(Object.keys(perKey.body.details)).toEqual(['groupBy']);
  });
});
