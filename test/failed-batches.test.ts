import { randomUUID } from 'node:crypto';
import { http } from './support/http.js';
import { ensureBuilt } from './support/build.js';
import { runNode } from './support/child-process.js';
import { makeRecord, makeRecords } from './support/factories.js';
import { Pipeline, rowCounts, startPipeline, waitUntilStored } from './support/pipeline.js';
import { pollUntil } from './support/poll.js';
import { DisposablePostgres } from './support/postgres-server.js';
import { testConfig } from './support/test-env.js';

const FAILED_CLI = 'dist/apps/cli/src/failed.js';

/** A batch Postgres keeps refusing lands in the failed set; once the cause is fixed it is retried and stored. */
describe('failed batches: kept, inspected and retried (endpoint and CLI)', () => {
  let postgres: DisposablePostgres;
  let pipeline: Pipeline;
  let env: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    postgres = await DisposablePostgres.start();
    env = { DATABASE_URL: postgres.url, QUEUE_PREFIX: `failed-${randomUUID().slice(0, 8)}`, JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50' };
    pipeline = await startPipeline(testConfig(env));
    // A rule this disposable database enforces and the batch breaks: every attempt fails.
    await pipeline.db.query(`ALTER TABLE request_logs ADD CONSTRAINT refuse_poison CHECK (path <> '/poison')`);
  }, 60_000);
  afterAll(async () => {
    await pipeline?.close();
    postgres?.destroy();
  });

  /** GET /v1/admin/failed-batches once it lists `total` batches. */
  const failedSetOf = (total: number) =>
    pollUntil(() => http(pipeline.api.getHttpServer()).get('/v1/admin/failed-batches').expect(200), (res) => res.body.total === total, 15_000, `${total} failed batch(es)`);

  it('keeps a batch that exhausted its retries, shows it, and stores it once retried', async () => {
    const server = pipeline.api.getHttpServer();
    const records = [...makeRecords(4), makeRecord({ path: '/poison' })];
    const ids = records.map((r) => r.requestId as string);
    await http(server).post('/v1/logs').send(records).expect(202);

    const list = await failedSetOf(1);
    const [batch] = list.body.batches;
    expect(batch).toMatchObject({ records: 5, attemptsMade: 2, failedReason: expect.stringContaining('refuse_poison') });

    const shown = await http(server).get(`/v1/admin/failed-batches/${batch.id}`).expect(200);
    expect(shown.body.data.records.map((r: { requestId: string }) => r.requestId)).toEqual(ids);

    const cliList = await runNode(FAILED_CLI, ['list'], env);
    expect(cliList.code).toBe(0);
    expect(cliList.stdout).toContain(`1 failed batch(es)\n${batch.id}\t5 records\t2 attempts`);
    const cliShow = await runNode(FAILED_CLI, ['show', batch.id], env);
    expect(JSON.parse(cliShow.stdout)).toMatchObject({ id: batch.id, records: 5 });
    expect((await runNode(FAILED_CLI, ['show', 'no-such-job'], env)).code).toBe(1);
    expect(await rowCounts(pipeline.db, ids)).toEqual(new Map());

    await pipeline.db.query('ALTER TABLE request_logs DROP CONSTRAINT refuse_poison');
    await http(server).post(`/v1/admin/failed-batches/${batch.id}/retry`).expect(202, { retried: 1, id: batch.id });
    await waitUntilStored(pipeline.db, ids);
    expect([...(await rowCounts(pipeline.db, ids)).values()]).toEqual([1, 1, 1, 1, 1]);
    expect((await http(server).get('/v1/admin/failed-batches').expect(200)).body.total).toBe(0);
  });

  it('retries the whole failed set from the CLI', async () => {
    await pipeline.db.query(`ALTER TABLE request_logs ADD CONSTRAINT refuse_poison CHECK (path <> '/poison-2')`);
    const records = [makeRecord({ path: '/poison-2' }), makeRecord({ path: '/poison-2' })];
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send([records[0]]).expect(202);
    await http(server).post('/v1/logs').send([records[1]]).expect(202);
    await failedSetOf(2);
    await pipeline.db.query('ALTER TABLE request_logs DROP CONSTRAINT refuse_poison');
    const retried = await runNode(FAILED_CLI, ['retry', '--all'], env);
    expect(retried).toMatchObject({ code: 0, stdout: 'retried 2 batch(es)\n' });
    await waitUntilStored(pipeline.db, records.map((r) => r.requestId as string));
  });
});
