import { http } from './support/http.js';
import { makeRecords } from './support/factories.js';
import { captureOutput } from './support/output-capture.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { DisposableRedis } from './support/redis-server.js';
import { testConfig } from './support/test-env.js';

describe('Redis outage', () => {
  let redis: DisposableRedis;
  let pipeline: Pipeline;
  beforeAll(async () => {
    redis = await DisposableRedis.start();
    pipeline = await startPipeline(testConfig({ REDIS_URL: redis.url, INGEST_RETRY_AFTER_SECONDS: '7' }), { worker: false });
  });
  afterAll(async () => {
    await pipeline.close();
    await redis.destroy();
  });

  it('answers ingest with 503 + Retry-After within a second while Redis is down, and recovers after', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send(makeRecords(3)).expect(202);

    await redis.kill();
    const started = Date.now();
    const res = await http(server).post('/v1/logs').send(makeRecords(3));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.body).toEqual({ error: 'service_unavailable', message: expect.any(String), details: { retry_after: 7 } });
    expect(elapsed).toBeLessThan(1000);

    // Lookups need only Postgres: they keep working (rate limits are not enforced while Redis is away).
    await http(server).get('/v1/requests/req_redis_outage_unknown').expect(404);

    const ready = await http(server).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toBe('service_unavailable');
    expect(ready.body.details.error).toHaveProperty('redis');
    expect(ready.body.details.error.redis).toEqual({ status: 'down' });
    expect(ready.text).not.toContain(String(redis.port));
    expect(ready.headers['retry-after']).toBeDefined();

    await redis.restart();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 202) {
      status = (await http(server).post('/v1/logs').send(makeRecords(1))).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(202);
  });

  it(
    'after a 20 s outage, ingest answers 202 within seconds of Redis answering PING, ' + 'and logs a few lines, not one per request',
    async () => {
      const own = await DisposableRedis.start();
      const api = await startPipeline(testConfig({ REDIS_URL: own.url }), { worker: false });
      const output = captureOutput();
      try {
        const server = api.api.getHttpServer();
        await http(server).post('/v1/logs').send(makeRecords(1)).expect(202);
        await own.kill();
        // Long enough for a backoff growing like BullMQ's default (e^attempt s, up to 20 s) to space its
        // reconnect attempts 8–20 s apart: the next one would then come long after Redis is back.
        const refused: number[] = [];
        for (const until = Date.now() + 20_000; Date.now() < until;) {
          refused.push((await http(server).post('/v1/logs').send(makeRecords(1))).status);
          await new Promise((r) => setTimeout(r, 50));
        }
        await own.restart(); // resolves once Redis answers PING with PONG
        const back = Date.now();
        let status = 0;
        while (status !== 202 && Date.now() - back < 20_000) {
          status = (await http(server).post('/v1/logs').send(makeRecords(1))).status;
          if (status !== 202) await new Promise((r) => setTimeout(r, 100));
        }
        const recoveryMs = Date.now() - back;
        const warnings = output.lines().filter((line) => /\b(WARN|ERROR)\b/.test(line));
        const bySource: Record<string, number> = {};
        for (const line of warnings) {
          const source = /(?:WARN|ERROR)\W*\[(\w+)\]/.exec(line.replace(/\x1b\[[\d;]*m/g, ''))?.[1] ?? 'other';
          bySource[source] = (bySource[source] ?? 0) + 1;
        }
        console.log(`[redis outage 20 s] ${JSON.stringify({ requestsDuringOutage: refused.length, recoveryMs, warningLines: bySource })}`);
        expect(refused.length).toBeGreaterThan(50);
        expect(new Set(refused)).toEqual(new Set([503]));
        expect(status).toBe(202);
        expect(recoveryMs).toBeLessThan(5000);
        // Each source of outage warnings (queue connection, enqueue, rate limiter) says so once per 10 s.
        expect(warnings.length).toBeLessThanOrEqual(12);
      } finally {
        output.stop();
        await api.close();
        await own.destroy();
      }
    },
    60_000,
  );

  it('the worker survives a Redis restart: records sent after it returns are stored', async () => {
    const own = await DisposableRedis.start();
    const withWorker = await startPipeline(testConfig({ REDIS_URL: own.url }));
    try {
      const server = withWorker.api.getHttpServer();
      const before = makeRecords(5);
      await http(server).post('/v1/logs').send(before).expect(202);
      await waitUntilStored(
        withWorker.db,
        before.map((r) => r.requestId as string),
      );

      await own.kill();
      expect((await http(server).post('/v1/logs').send(makeRecords(1))).status).toBe(503);
      await own.restart();
      // What matters here is that both producer and worker reconnect on their own.
      const after = makeRecords(5);
      let status = 0;
      for (const deadline = Date.now() + 15_000; status !== 202 && Date.now() < deadline;) {
        status = (await http(server).post('/v1/logs').send(after)).status;
        if (status !== 202) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(202);
      await waitUntilStored(
        withWorker.db,
        after.map((r) => r.requestId as string),
        20_000,
      );
    } finally {
      await withWorker.close();
      await own.destroy();
    }
  });
});
