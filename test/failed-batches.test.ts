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
const DEAD_LETTERS_CLI = 'dist/apps/cli/src/dead-letters.js';
/** These tests run the dead-letters CLI, which starts node and Prisma's WASM query compiler (seconds on a loaded 2-core machine). */
const DEAD_LETTER_CLI_TEST_MS = 120_000;

/** Makes every write of a record whose path starts with `prefix` fail, as a broken deployment would (not the record's fault). */
const REFUSE_PATHS = (prefix: string) => `
  CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN IF NEW.path LIKE '${prefix}%' THEN RAISE EXCEPTION 'refuse_poison: %', NEW.path; END IF; RETURN NEW; END $$;
  CREATE TRIGGER refuse_poison BEFORE INSERT ON request_logs FOR EACH ROW EXECUTE FUNCTION refuse_poison()`;
const STOP_REFUSING = 'DROP TRIGGER refuse_poison ON request_logs';

/**
 * A batch Postgres keeps refusing lands in the failed set; once the cause is fixed it is retried and
 * stored. The refusal is a trigger's RAISE (SQLSTATE P0001): a failure that says nothing about one
 * record's data, so the batch fails whole. A record refused for its data (a CHECK, class 23) goes to
 * the dead letter instead, while the rest of its batch is stored.
 */
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
    await pipeline.db.query(REFUSE_PATHS('/poison'));
  }, 60_000);
  afterAll(async () => {
    await pipeline?.close();
    postgres?.destroy();
  });

  /** GET /v1/admin/failed-batches once it lists `total` batches. */
  const failedSetOf = (total: number) =>
    pollUntil(
      () => http(pipeline.api.getHttpServer()).get('/v1/admin/failed-batches').expect(200),
      (res) => res.body.total === total,
      15_000,
      `${total} failed batch(es)`,
    );

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

    await pipeline.db.query(STOP_REFUSING);
    await http(server).post(`/v1/admin/failed-batches/${batch.id}/retry`).expect(202, { retried: 1, id: batch.id });
    await waitUntilStored(pipeline.db, ids);
    expect([...(await rowCounts(pipeline.db, ids)).values()]).toEqual([1, 1, 1, 1, 1]);
    expect((await http(server).get('/v1/admin/failed-batches').expect(200)).body.total).toBe(0);
  });

  it('retries the whole failed set from the CLI', async () => {
    await pipeline.db.query(REFUSE_PATHS('/poison-2'));
    const records = [makeRecord({ path: '/poison-2' }), makeRecord({ path: '/poison-2' })];
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send([records[0]]).expect(202);
    await http(server).post('/v1/logs').send([records[1]]).expect(202);
    await failedSetOf(2);
    await pipeline.db.query(STOP_REFUSING);
    const retried = await runNode(FAILED_CLI, ['retry', '--all'], env);
    expect(retried).toMatchObject({ code: 0, stdout: 'retried 2 batch(es)\n' });
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
    );
  });

  it('answers 404 in the error shape for an id that is no failed batch, also for ids naming BullMQ keys of its own', async () => {
    const server = pipeline.api.getHttpServer();
    for (const id of ['id', 'events', 'meta', 'wait', 'failed', 'stalled-check', '999999', 'x'.repeat(300)]) {
      const res = await http(server).get(`/v1/admin/failed-batches/${id}`).expect(404);
      expect(res.body).toEqual({ error: 'not_found', message: `No failed batch with id "${id}".`, details: { id } });
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      await http(server).post(`/v1/admin/failed-batches/${id}/retry`).expect(404);
    }
    expect((await runNode(FAILED_CLI, ['show', 'events'], env)).code).toBe(1);
  });

  /** GET /v1/admin/dead-letters once it lists `total` records. */
  const deadLettersOf = (total: number) =>
    pollUntil(
      () => http(pipeline.api.getHttpServer()).get('/v1/admin/dead-letters').expect(200),
      (res) => res.body.total === total,
      15_000,
      `${total} dead letter(s)`,
    );

  it(
    'parks a record Postgres refuses for its data in the dead letter, stores the rest of its batch, ' +
      'shows it (API and CLI), and stores it once retried',
    async () => {
      await pipeline.db.query(`ALTER TABLE request_logs ADD CONSTRAINT refuse_forbidden CHECK (path <> '/forbidden')`);
      const server = pipeline.api.getHttpServer();
      const records = [...makeRecords(3), makeRecord({ path: '/forbidden' })];
      const ids = records.map((r) => r.requestId as string);
      await http(server).post('/v1/logs').send(records).expect(202);
      await waitUntilStored(pipeline.db, ids.slice(0, 3));

      const [parked] = (await deadLettersOf(1)).body.records;
      expect(parked).toMatchObject({
        requestId: ids[3],
        reason: 'integrity_constraint_violation',
        sqlstate: '23514',
        message: expect.stringContaining('refuse_forbidden'),
        jobId: expect.any(String),
      });
      const shown = await http(server).get(`/v1/admin/dead-letters/${parked.id}`).expect(200);
      expect(shown.body).toMatchObject({ id: parked.id, record: { requestId: ids[3], path: '/forbidden', status: records[3].status } });
      expect((await http(server).get('/v1/admin/failed-batches').expect(200)).body.total).toBe(0);

      const cliList = await runNode(DEAD_LETTERS_CLI, ['list'], env);
      expect(cliList).toMatchObject({ code: 0, stdout: expect.stringContaining(`1 dead-lettered record(s)\n${parked.id}\t${ids[3]}\t`) });
      expect(JSON.parse((await runNode(DEAD_LETTERS_CLI, ['show', parked.id], env)).stdout)).toMatchObject({
        id: parked.id,
        record: { path: '/forbidden' },
      });
      expect((await runNode(DEAD_LETTERS_CLI, ['show', 'nope'], env)).code).toBe(1);
      expect(await rowCounts(pipeline.db, [ids[3]])).toEqual(new Map());

      // The cause fixed, a retry queues the record again: stored, and gone from the dead letter.
      await pipeline.db.query('ALTER TABLE request_logs DROP CONSTRAINT refuse_forbidden');
      await http(server).post(`/v1/admin/dead-letters/${parked.id}/retry`).expect(202, { retried: 1, id: parked.id });
      await waitUntilStored(pipeline.db, [ids[3]]);
      expect((await http(server).get('/v1/admin/dead-letters').expect(200)).body).toEqual({ total: 0, records: [] });
    },
    DEAD_LETTER_CLI_TEST_MS,
  );

  it(
    'deletes and purges dead-lettered records, and answers 422 / 404 for ids that are none',
    async () => {
      await pipeline.db.query(`ALTER TABLE request_logs ADD CONSTRAINT refuse_forbidden CHECK (path <> '/forbidden-2')`);
      const server = pipeline.api.getHttpServer();
      await http(server)
        .post('/v1/logs')
        .send([makeRecord({ path: '/forbidden-2' }), makeRecord({ path: '/forbidden-2' })])
        .expect(202);
      const [first, second] = (await deadLettersOf(2)).body.records;
      await pipeline.db.query('ALTER TABLE request_logs DROP CONSTRAINT refuse_forbidden');

      await http(server).delete(`/v1/admin/dead-letters/${first.id}`).expect(204);
      const gone = await http(server).get(`/v1/admin/dead-letters/${first.id}`).expect(404);
      expect(gone.body).toEqual({
        error: 'not_found',
        message: `No dead-lettered record with id "${first.id}".`,
        details: { id: first.id },
      });
      await http(server).delete(`/v1/admin/dead-letters/${first.id}`).expect(404);
      await http(server).post('/v1/admin/dead-letters/99999999/retry').expect(404);
      for (const id of ['abc', '0', '-1', '1.5', '9'.repeat(30)]) {
        const res = await http(server).get(`/v1/admin/dead-letters/${id}`).expect(422);
        expect(res.body).toEqual({ error: 'validation_error', message: expect.any(String), details: { id: [expect.any(String)] } });
        await http(server).delete(`/v1/admin/dead-letters/${id}`).expect(422);
        await http(server).post(`/v1/admin/dead-letters/${id}/retry`).expect(422);
      }
      for (const limit of ['0', 'x', '1001']) await http(server).get(`/v1/admin/dead-letters?limit=${limit}`).expect(422);

      expect(await runNode(DEAD_LETTERS_CLI, ['purge'], env)).toMatchObject({ code: 0, stdout: 'purged 1 record(s)\n' });
      expect((await http(server).get('/v1/admin/dead-letters').expect(200)).body).toEqual({ total: 0, records: [] });
      expect(second.id).not.toBe(first.id);
    },
    DEAD_LETTER_CLI_TEST_MS,
  );
});

describe('a dead-letter retry goes through the job constructor', () => {
  let pipeline: Pipeline;

  // No worker: the one job queued below stays pending and fills a backlog of one.
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ INGEST_MAX_BACKLOG: '1' }), { worker: false });
  }, 60_000);
  afterAll(() => pipeline.close());

  it('answers 503 with Retry-After when the backlog is full, and keeps the record in the dead letter', async () => {
    const record = makeRecord();
    const { rows } = await pipeline.db.query<{ id: string }>(
      `INSERT INTO dead_letter_records (record_hash, request_id, sent_at, record, reason, sqlstate, message, received_at)
       VALUES (sha256($1::text::bytea), $2, $3, $1, 'integrity_constraint_violation', '23514', 'planted by the test', now()) RETURNING id`,
      [JSON.stringify(record), record.requestId, record.timestamp],
    );
    const id = rows[0].id;
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send(makeRecords(2)).expect(202);

    const refused = await http(server).post(`/v1/admin/dead-letters/${id}/retry`).expect(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatchObject({ error: 'service_unavailable', details: { retry_after: 5, reason: 'max_backlog' } });
    expect((await http(server).get(`/v1/admin/dead-letters/${id}`).expect(200)).body).toMatchObject({
      id,
      record: { requestId: record.requestId },
    });
  });
});
