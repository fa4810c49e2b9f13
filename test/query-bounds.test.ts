import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { type SearchQuery, RequestSearchRepository, searchPageQuery } from '../libs/store/src/reads/request-search.repository.js';
import { makeRecord } from './support/factories.js';
import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { minutesAfter, plant, quietPastWindow, uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

const DAY_MS = 86_400_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe('bounded queries', () => {
  let pipeline: Pipeline;
  const tag = uniqueTag();
  const route = `/v1/bounds-${tag}/:id`;
  // Rows in the last days that a 91-day search must otherwise read and throw away.
  const records = Array.from({ length: 40 }, (_, i) =>
    makeRecord({
      timestamp: new Date(Date.now() - (1 + (i % 3)) * DAY_MS).toISOString(),
      status: 409,
      error: 'conflict',
      route,
      method: 'PATCH',
    }),
  );

  beforeAll(async () => {
    // Short enough for the lock test to wait it out quickly; long enough that ten parallel 91-day searches
    // (an index probe per daily partition each) finish on a loaded 2-core CI machine.
    pipeline = await startPipeline(testConfig({ API_QUERY_TIMEOUT_MS: '3000' }));
    await plant(pipeline, records);
  }, 60_000);
  afterAll(() => pipeline.close());

  const server = () => pipeline.api.getHttpServer();

  it("sets API_QUERY_TIMEOUT_MS as statement_timeout on the api's connections, never on the worker's", async () => {
    const api = await pipeline.api.get<Pool>(PG_POOL).query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(api.rows[0].statement_timeout).toBe('3s');
    const worker = await pipeline.worker!.get<Pool>(PG_POOL).query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(worker.rows[0].statement_timeout).toBe('0');
  });

  it('answers 503 + Retry-After naming the limit when a query outlasts it, then serves again', async () => {
    // A lock held by the test makes the api's read wait: Postgres's statement_timeout counts the wait.
    const locker = await pipeline.db.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE request_totals_minute IN ACCESS EXCLUSIVE MODE'); // what an unfiltered series reads
      const res = await http(server()).get('/v1/error-rates').timeout(20_000);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      expect(res.body).toEqual({
        error: 'service_unavailable',
        message: expect.stringContaining('longer than the service allows'),
        details: { retry_after: 5, limit: 'API_QUERY_TIMEOUT_MS' },
      });
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    await http(server()).get('/v1/error-rates').expect(200);
  });

  /** EXPLAIN ANALYZE of the search page's own SQL, sequential scans disabled so only a missing index shows one. */
  async function explain(query: SearchQuery): Promise<PlanNode[]> {
    const client = await pipeline.db.connect();
    try {
      // Statistics as autovacuum keeps them in production: on partitions just filled by the suites and
      // never analysed, the planner may walk the (sent_at) order and filter instead of probing the index.
      await client.query('ANALYZE request_logs');
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const sql = searchPageQuery(query);
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
        text: `EXPLAIN (ANALYZE, FORMAT JSON) ${sql.text}`,
        values: sql.values,
      });
      return planNodes(rows[0]['QUERY PLAN'][0].Plan);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it.each([
    ['errorCode', { errorCode: `nonexistent_${tag}` }],
    ['route', { route: `/v1/nonexistent-${tag}` }],
  ])('serves a %s matching nothing over 91 days from an index: no row read and thrown away', async (_, filter) => {
    const to = new Date();
    const nodes = await explain({ from: new Date(to.getTime() - 91 * DAY_MS), to, filter, limit: 51 });
    const rawScans = nodes.filter((n) => n['Relation Name']?.startsWith('request_logs'));
    expect(rawScans.length).toBeGreaterThan(0);
    expect(rawScans.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    // Without the index the newest-first scan of sent_at reads every row of the window and filters it out.
    expect(rawScans.reduce((sum, n) => sum + (n['Rows Removed by Filter'] ?? 0), 0)).toBe(0);
  });

  it('answers ten parallel 91-day searches for an unknown error code at once, and still finds a real one', async () => {
    const from = new Date(Date.now() - 91 * DAY_MS).toISOString();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        http(server())
          .get('/v1/requests')
          .query({ from, errorCode: `nonexistent_${tag}` }),
      ),
    );
    for (const res of answers) expect([res.status, res.body.items]).toEqual([200, []]);
    const found = await http(server()).get('/v1/requests').query({ from, route, errorCode: 'conflict', limit: 500 }).expect(200);
    expect(found.body.items.map((i: { requestId: string }) => i.requestId).sort()).toEqual(records.map((r) => r.requestId).sort());
  });

  it(
    'asks the rollups first for a method (no raw index): ' + 'none → no raw read; some → the raw read cut to the matching minutes',
    async () => {
      const repository = pipeline.api.get(RequestSearchRepository);
      const page = repository.page.bind(repository);
      const calls: SearchQuery[] = [];
      repository.page = (query: SearchQuery) => (calls.push(query), page(query));
      try {
        const from = new Date(Date.now() - 91 * DAY_MS).toISOString();
        const none = await http(server()).get('/v1/requests').query({ from, route, method: 'PURGE' }).expect(200);
        expect(none.body.items).toEqual([]);
        expect(calls).toEqual([]);
        const some = await http(server())
          .get('/v1/requests')
          .query({ from, route, method: 'PATCH', statusClass: '4xx', limit: 500 })
          .expect(200);
        expect(some.body.items).toHaveLength(records.length);
        const oldest = Math.min(...records.map((r) => Date.parse(r.timestamp as string)));
        expect(calls).toHaveLength(1);
        expect(calls[0].from.getTime()).toBe(Math.floor(oldest / 60_000) * 60_000);
      } finally {
        repository.page = page;
      }
    },
  );

  it('caps error-rates at ERROR_RATES_MAX_POINTS (series × buckets) with a 422 saying how to narrow', async () => {
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - 2 * DAY_MS).toISOString();
    const res = await http(server())
      .get('/v1/error-rates')
      .query({ from, to: to.toISOString(), interval: '1m', groupBy: 'route', top: '50' })
      .expect(422);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.body.error).toBe('validation_error');
    expect(Object.keys(res.body.details).sort()).toEqual(['interval', 'top']);
    expect(res.body.details.interval[0]).toMatch(
      /50 series × 2880 buckets = 144000 points, more than the 20000 .*larger interval \(1h fits\).*smaller top/,
    );
    expect(res.body.details.top[0]).toMatch(/at most 6 series fit/);
    // The ways it names do answer, and `auto` picks an interval that fits on its own.
    await http(server())
      .get('/v1/error-rates')
      .query({ from, to: to.toISOString(), interval: '1h', groupBy: 'route', top: '50' })
      .expect(200);
    await http(server())
      .get('/v1/error-rates')
      .query({ from, to: to.toISOString(), interval: '1m', groupBy: 'route', top: '6' })
      .expect(200);
    const auto = await http(server()).get('/v1/error-rates').query({ from, to: to.toISOString(), groupBy: 'route', top: '50' }).expect(200);
    expect(auto.body.interval).toBe('1h');
    expect(auto.body.series.length * auto.body.series[0].buckets.length).toBeLessThanOrEqual(20_000);
  });

  it('describes at most 50 spikes (the largest) and counts the rest in omittedSpikes', async () => {
    const spikeRoute = `/v1/spiky-${tag}/:id`;
    const start = await quietPastWindow(pipeline.db, 5 * 52 + 20);
    // 52 one-minute bursts of 503s, 5 minutes apart (separate spikes), the last two the largest.
    const bursts = Array.from({ length: 52 }, (_, b) =>
      Array.from({ length: b >= 50 ? 30 : 12 }, (_, i) =>
        makeRecord({
          timestamp: new Date(minutesAfter(start, 20 + b * 5).getTime() + i * 1000).toISOString(),
          status: 503,
          route: spikeRoute,
        }),
      ),
    ).flat();
    await plant(pipeline, bursts);
    const res = await http(server())
      .get('/v1/spikes')
      .query({ from: start.toISOString(), to: minutesAfter(start, 5 * 52 + 20).toISOString(), status: '503', route: spikeRoute })
      .timeout(60_000)
      .expect(200);
    expect(res.body.spikes).toHaveLength(50);
    expect(res.body.omittedSpikes).toBe(2);
    expect(res.body.spikes.filter((s: { count: number }) => s.count === 30)).toHaveLength(2);
  }, 90_000);
});

describe('bounded wait for a database connection', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ API_QUERY_TIMEOUT_MS: '1000', DATABASE_POOL_SIZE: '1' }), { worker: false });
  });
  afterAll(() => pipeline.close());

  it('answers 503 naming DATABASE_POOL_SIZE to requests that waited API_QUERY_TIMEOUT_MS for the only connection', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server).get('/v1/error-rates').expect(200); // the pool's one connection, open and idle
    const locker = await pipeline.db.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE request_totals_minute IN ACCESS EXCLUSIVE MODE'); // what an unfiltered series reads
      // The first takes the connection and waits on the lock; the others wait for the connection.
      const answers = await Promise.all(Array.from({ length: 5 }, () => http(server).get('/v1/error-rates').timeout(30_000)));
      for (const res of answers) {
        expect([res.status, res.headers['retry-after'], res.body.error]).toEqual([503, '5', 'service_unavailable']);
        expect(res.headers['x-request-id']).toEqual(expect.any(String));
      }
      const limits = answers.map((res) => res.body.details.limit);
      expect(limits).toContain('API_QUERY_TIMEOUT_MS');
      // At most one waiter can get the connection back before its own wait ends: the rest time out waiting.
      expect(limits.filter((l) => l === 'DATABASE_POOL_SIZE').length).toBeGreaterThanOrEqual(3);
      expect(limits.every((l) => l === 'API_QUERY_TIMEOUT_MS' || l === 'DATABASE_POOL_SIZE')).toBe(true);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    await http(server).get('/v1/error-rates').expect(200);
  });
});
