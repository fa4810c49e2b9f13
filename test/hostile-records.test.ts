import { randomUUID } from 'node:crypto';
import { http } from './support/http.js';
import { makeRecord } from './support/factories.js';
import { rawPost } from './support/raw-post.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { rollupAgreement } from './support/derived-counts.js';
import { testConfig } from './support/test-env.js';

/**
 * Issue 12 #3 and #4 over HTTP with the real api, worker and Postgres: a record the storage could
 * not take (a duration whose rollup sum overflows, details nested 3000 deep) is refused on its own
 * in the 202's `rejected`, and the valid record of the same batch is stored and counted.
 */
describe('a hostile record is refused alone, its batch stored', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
  });
  afterAll(() => pipeline.close());

  /** Posts the hostile records (JSON text; `KEY` becomes a key id of this call) then a valid one, as one batch. */
  async function expectRefusedBesideStored(hostile: string[], field: string, message: string): Promise<void> {
    const key = `key_hostile_${randomUUID().slice(0, 8)}`;
    const legit = makeRecord({ apiKeyId: key });
    const body = `[${[...hostile.map((h) => h.replaceAll('KEY', key)), JSON.stringify(legit)].join(',')}]`;
    const res = await rawPost(pipeline.api.getHttpServer(), '/v1/logs', body, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, rejected: hostile.map((_, index) => ({ index, details: { [field]: [message] } })) });
    await waitUntilStored(pipeline.db, [legit.requestId as string]);
    // the valid record stored once and counted once; nothing of the hostile ones
    const { rows } = await pipeline.db.query<{ n: number }>('SELECT count(*)::int AS n FROM request_logs WHERE api_key_id = $1', [key]);
    expect(rows[0].n).toBe(1);
    expect(await rollupAgreement(pipeline.db, key)).toEqual({ counted: 1, cellsOff: 0 });
  }

  it('#3: durationMs 1e308 beside a valid record (a rollup sum became Infinity and the whole batch failed every retry)', async () => {
    // two in one rollup cell: their float8 sum overflows
    const overflow = makeRecord({ apiKeyId: 'KEY', durationMs: 1e308 });
    await expectRefusedBesideStored(
      [JSON.stringify(overflow), JSON.stringify({ ...overflow, requestId: `req_${randomUUID()}` })],
      'durationMs',
      'must be at most 86400000 milliseconds (one day)',
    );
  });

  it('#4: details nested 3000 levels deep (6 KB) beside a valid record (a stack overflow answered 500 for the whole batch)', async () => {
    const deep = `${'{"n":'.repeat(3000)}1${'}'.repeat(3000)}`;
    const hostile = JSON.stringify(makeRecord({ apiKeyId: 'KEY', details: 'DEEP' })).replace('"DEEP"', deep);
    expect(Buffer.byteLength(hostile)).toBeLessThan(20_000);
    await expectRefusedBesideStored([hostile], 'details', 'must not nest arrays and objects more than 32 levels deep');
  });

  it('refuses a path whose derived route template would not fit an index entry, and takes it with a route', async () => {
    const path = `/v1${'/1'.repeat(200)}`;
    await expectRefusedBesideStored(
      [JSON.stringify(makeRecord({ apiKeyId: 'KEY', path }))],
      'path',
      'makes a route template longer than 512 characters; send a "route" with it',
    );
    const withRoute = makeRecord({ path, route: '/v1/:ids' });
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send([withRoute]).expect(202);
    await waitUntilStored(pipeline.db, [withRoute.requestId as string]);
  });
});
