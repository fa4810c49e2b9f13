import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import express from 'express';
import type { Server } from 'node:http';
import type { AccessLogRecord } from '#libs/access-log';
import { LogShipper, PermanentSinkError, accessLogMiddleware, httpSink, queueSink } from '#libs/log-shipper';
import { INGEST_QUEUE } from '#libs/queue';
import { makeRecord, makeRecords } from './support/factories.js';
import { TEST_API_KEY, http } from './support/http.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

/** A small Verilock-like Express app, the way the real API would mount the shipper. */
function verilockApp(shipper: LogShipper) {
  const app = express();
  app.use(accessLogMiddleware(shipper, { apiKeyId: (req) => (req.header('x-api-key') === TEST_API_KEY ? 'key_live_12' : null) }));
  const v1 = express.Router();
  v1.get('/sessions/:id', (req, res) => void res.json({ id: req.params.id, status: 'approved' }));
  v1.post('/sessions', (_req, res) => {
    res.status(422).json({
      error: 'validation_error',
      message: 'The given data was invalid.',
      details: { redirect_url: ['The redirect url must be a valid URL.'] },
    });
  });
  v1.post('/sessions/:id/approve', (_req, res) => {
    res
      .status(429)
      .set('Retry-After', '30')
      .json({ error: 'rate_limit_exceeded', message: 'Too many requests. Please retry after 30 seconds.', details: { retry_after: 30 } });
  });
  v1.delete('/api-keys/:id', (_req, res) => void res.status(204).end());
  v1.get('/slow', (_req, res) => void setTimeout(() => res.headersSent || res.destroyed || res.json({}), 1000));
  app.use('/v1', v1);
  return app;
}

async function storedRow(pipeline: Pipeline, requestId: string) {
  await waitUntilStored(pipeline.db, [requestId]);
  const { rows } = await pipeline.db.query('SELECT * FROM request_logs WHERE request_id = $1', [requestId]);
  return rows[0];
}

describe('log shipper: a real Express app → BullMQ → worker → Postgres', () => {
  const config = testConfig();
  let pipeline: Pipeline;
  let shipper: LogShipper;
  let app: express.Express;
  beforeAll(async () => {
    pipeline = await startPipeline(config);
    // A long interval: records reach Postgres only through size-triggered flushes or close().
    shipper = new LogShipper({
      sink: queueSink({ redisUrl: config.redis.url, prefix: config.redis.keyPrefix }),
      batchSize: 3,
      flushIntervalMs: 60_000,
    });
    app = verilockApp(shipper);
  });
  afterAll(async () => {
    await shipper.close();
    await pipeline.close();
  });

  it('records status, route template, duration, error body, Retry-After and the key id (never the key)', async () => {
    const ok = await http(app).get('/v1/sessions/ses_8f2k91ab?expand=steps').set('X-Request-Id', 'req_shipper_ok_1').expect(200);
    expect(ok.headers['x-request-id']).toBe('req_shipper_ok_1');
    const invalid = await http(app).post('/v1/sessions').send({}).expect(422);
    const limited = await http(app).post('/v1/sessions/ses_77aa11bb/approve').expect(429);
    // Three responses make one full batch: shipped without waiting for the interval or close().

    expect(await storedRow(pipeline, 'req_shipper_ok_1')).toMatchObject({
      method: 'GET',
      path: '/v1/sessions/ses_8f2k91ab',
      route: '/v1/sessions/:id',
      status: 200,
      error_code: null,
      api_key_id: 'key_live_12',
    });
    const validation = await storedRow(pipeline, invalid.headers['x-request-id']);
    expect(validation).toMatchObject({
      route: '/v1/sessions',
      status: 422,
      error_code: 'validation_error',
      message: 'The given data was invalid.',
      details: { redirect_url: ['The redirect url must be a valid URL.'] },
    });
    expect(validation.duration_ms).toBeGreaterThan(0);
    expect(await storedRow(pipeline, limited.headers['x-request-id'])).toMatchObject({
      route: '/v1/sessions/:id/approve',
      status: 429,
      error_code: 'rate_limit_exceeded',
      retry_after: 30,
      details: { retry_after: 30 },
    });
    const { rows } = await pipeline.db.query('SELECT count(*)::int AS n FROM request_logs WHERE row_to_json(request_logs)::text LIKE $1', [
      `%${TEST_API_KEY}%`,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('generates an X-Request-Id when the request has none (or an invalid one) and ships the rest on close()', async () => {
    const res = await http(app).delete('/v1/api-keys/key_live_9f8e7d').set('X-Request-Id', 'not valid!').expect(204);
    const generated = res.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await http(app).get('/nowhere/42').expect(404);
    expect(shipper.stats.buffered).toBe(2);
    // A client hanging up before the response is recorded too, as 499 like nginx does.
    await expect(http(app).get('/v1/slow').set('X-Request-Id', 'req_shipper_abandoned').timeout(100)).rejects.toThrow(/Timeout/);
    // The server sees the hang-up a moment after the client gave up: wait for that sixth record.
    for (let i = 0; i < 200 && shipper.stats.shipped + shipper.stats.buffered < 6; i++) await new Promise((r) => setTimeout(r, 10));

    await shipper.close();
    expect(shipper.stats).toMatchObject({ buffered: 0, dropped: 0, lost: 0, rejected: 0 });
    expect(await storedRow(pipeline, generated)).toMatchObject({ method: 'DELETE', route: '/v1/api-keys/:id', status: 204 });
    // No route matched: the template is derived from the path, as the ingest API does.
    expect(await storedRow(pipeline, missing.headers['x-request-id'])).toMatchObject({ status: 404, route: '/nowhere/:id' });
    expect(await storedRow(pipeline, 'req_shipper_abandoned')).toMatchObject({
      status: 499,
      error_code: 'client_closed_request',
      route: '/v1/slow',
    });
  });
});

describe('log shipper: posting to /v1/logs of the running api', () => {
  let pipeline: Pipeline;
  let server: Server;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    server = await pipeline.api.listen(0, '127.0.0.1');
  });
  afterAll(() => pipeline.close());

  it('delivers the records through the HTTP ingest', async () => {
    const { port } = server.address() as { port: number };
    const shipper = new LogShipper({ sink: httpSink({ url: `http://127.0.0.1:${port}`, apiKey: TEST_API_KEY }), flushIntervalMs: 60_000 });
    const app = verilockApp(shipper);
    const responses = [await http(app).get('/v1/sessions/ses_1a2b3c4d').expect(200), await http(app).post('/v1/sessions').expect(422)];
    await shipper.close();
    expect(shipper.stats).toMatchObject({ shipped: 2, lost: 0 });
    const ids = responses.map((r) => r.headers['x-request-id']);
    await waitUntilStored(pipeline.db, ids);
    expect(await storedRow(pipeline, ids[1])).toMatchObject({ status: 422, error_code: 'validation_error', api_key_id: 'key_live_12' });
  });
});

describe('log shipper: the queue sink goes through the same producer as HTTP ingest', () => {
  const config = testConfig();
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(config);
  });
  afterAll(() => pipeline.close());

  it('stores a record redacted (details, message, bearer credentials) with CLIENT_IP_MODE applied, like POST /v1/logs', async () => {
    const shipper = new LogShipper({
      sink: queueSink({ redisUrl: config.redis.url, prefix: config.redis.keyPrefix, clientIpMode: 'truncate' }),
      flushIntervalMs: 60_000,
    });
    const requestId = `req_shipper_secret_${Date.now()}`;
    shipper.record({
      requestId,
      timestamp: new Date().toISOString(),
      method: 'POST',
      path: '/v1/sessions?access_token=sk_live_query',
      status: 401,
      durationMs: 3,
      error: 'unauthorized',
      message: 'login failed: password=hunter2 with Authorization: Bearer eyJsecret',
      details: { password: 'hunter2', headers: { Authorization: 'Bearer eyJsecret' }, email: 'a@b.c' },
      clientIp: '198.51.100.23',
    });
    await shipper.close();
    expect(shipper.stats).toMatchObject({ shipped: 1, rejected: 0, lost: 0 });
    const row = await storedRow(pipeline, requestId);
    expect(row).toMatchObject({
      path: '/v1/sessions',
      message: 'login failed: password=[REDACTED] with Authorization: [REDACTED] [REDACTED]',
      details: { password: '[REDACTED]', headers: { Authorization: '[REDACTED]' }, email: 'a@b.c' },
      client_ip: '198.51.100.0',
    });
    expect(JSON.stringify(row)).not.toMatch(/hunter2|eyJsecret|sk_live/);
  });

  it("validates with the service's acceptance window, whatever the shipper's own limits let through", async () => {
    // The shipper's own check is looser here: only the producer's validation (INGEST_MAX_AGE_DAYS) can refuse the old record.
    const shipper = new LogShipper({
      sink: queueSink({ redisUrl: config.redis.url, prefix: config.redis.keyPrefix }),
      limits: { maxFutureSkewSeconds: 86_400, maxAgeDays: 3650 },
      flushIntervalMs: 60_000,
    });
    const [fresh, old] = [makeRecord(), makeRecord({ timestamp: new Date(Date.now() - 200 * 86_400_000).toISOString() })];
    shipper.record(fresh);
    shipper.record(old);
    await shipper.close();
    expect(shipper.stats).toMatchObject({ shipped: 1, rejected: 1, lost: 0 });
    // Both records would have travelled in the one job: once the fresh one is stored, the old one is known to be absent.
    expect(await storedRow(pipeline, fresh.requestId as string)).toMatchObject({ status: 201 });
    const { rows } = await pipeline.db.query('SELECT count(*)::int AS n FROM request_logs WHERE request_id = $1', [old.requestId]);
    expect(rows[0].n).toBe(0);

    // A batch with no valid record is refused for good (PermanentSinkError), not retried.
    const sink = queueSink({ redisUrl: config.redis.url, prefix: config.redis.keyPrefix });
    await expect(sink.send([old as unknown as AccessLogRecord])).rejects.toBeInstanceOf(PermanentSinkError);
    await sink.close();

    // The sink never passes the api: it reports the `shipper` source's health to the same Redis itself (flushed on close).
    const { body } = await http(pipeline.api.getHttpServer()).get('/v1/admin/ingest/sources').expect(200);
    const health = (
      body as { sources: { source: string; lastSeenAt: string | null; rejected: number; lastRejected: unknown[] }[] }
    ).sources.find((s) => s.source === 'shipper')!;
    expect(health.lastSeenAt).not.toBeNull();
    expect(health.rejected).toBeGreaterThanOrEqual(2);
    expect(health.lastRejected[0]).toMatchObject({ reason: 'timestamp', line: expect.stringContaining(old.requestId as string) });
  });
});

describe('log shipper: the queue sink respects the backlog limit', () => {
  const config = testConfig();
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(config, { worker: false });
  });
  afterAll(() => pipeline.close());

  it('keeps a batch buffered (not enqueued) while the backlog is at maxBacklog', async () => {
    const queue = pipeline.api.get<Queue>(getQueueToken(INGEST_QUEUE));
    const errors: Error[] = [];
    const sink = queueSink({ redisUrl: config.redis.url, prefix: config.redis.keyPrefix, maxBacklog: 1 });
    const shipper = new LogShipper({
      sink,
      batchSize: 2,
      flushIntervalMs: 60_000,
      closeTimeoutMs: 300,
      onError: (err) => errors.push(err),
    });
    for (const record of makeRecords(2)) shipper.record(record);
    await shipper.flush();
    expect(shipper.stats).toMatchObject({ shipped: 2, buffered: 0 });
    for (const record of makeRecords(2)) shipper.record(record);
    await shipper.flush();
    expect(shipper.stats).toMatchObject({ shipped: 2, buffered: 2 });
    expect(errors[0]?.message).toMatch(/backlog is full/);
    expect(await queue.getWaitingCount()).toBe(1);
    await shipper.close();
    expect(shipper.stats).toMatchObject({ shipped: 2, lost: 2 });
  });
});
