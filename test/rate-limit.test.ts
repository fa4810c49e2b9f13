import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { ApiKeyRepository } from '#libs/auth';
import { anonymousHttp, http } from './support/http.js';
import { makeRecords } from './support/factories.js';
import { expectRateLimited } from './support/rate-limited.js';
import { testConfig } from './support/test-env.js';

/** Two api replicas sharing one Redis (same QUEUE_PREFIX): the budget is per key, across both. */
describe('rate limits per key, across api replicas', () => {
  const config = testConfig({ RATE_LIMIT_QUERY_PER_WINDOW: '4', RATE_LIMIT_INGEST_PER_WINDOW: '2', RATE_LIMIT_WINDOW_SECONDS: '60' });
  let replicas: NestFastifyApplication[];
  let key: string;
  let otherKey: string;
  beforeAll(async () => {
    replicas = [await createApiApp(config, ['error']), await createApiApp(config, ['error'])];
    await Promise.all(replicas.map((r) => r.init()));
    const repo = replicas[0].get(ApiKeyRepository);
    key = (await repo.create('rate-limit test', ['logs:read', 'logs:write'])).key;
    otherKey = (await repo.create('rate-limit other', ['logs:read'])).key;
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
  });

  const get = (replica: number, apiKey: string) =>
    anonymousHttp(replicas[replica].getHttpServer()).get('/v1/requests/req_rate_limit_unknown').set('X-API-Key', apiKey);

  it('answers 429 with Retry-After once a key spends its query budget, whichever replica it calls', async () => {
    for (let i = 0; i < 4; i++) expect((await get(i % 2, key)).status).toBe(404);
    expectRateLimited(await get(0, key), {
      message: (seconds) => `Too many requests. Please retry after ${seconds} seconds.`,
      limit: 4,
      bucket: 'query',
    });
    expect((await get(1, key)).status).toBe(429);
    // Another key has its own budget.
    expect((await get(1, otherKey)).status).toBe(404);
  });

  it('limits ingest on its own budget', async () => {
    const post = (replica: number) =>
      anonymousHttp(replicas[replica].getHttpServer()).post('/v1/logs').set('X-API-Key', key).send(makeRecords(1));
    expect((await post(0)).status).toBe(202);
    expect((await post(1)).status).toBe(202);
    const limited = await post(0);
    expect(limited.status).toBe(429);
    expect(limited.body.details.bucket).toBe('ingest');
    expect(limited.headers['retry-after']).toBeDefined();
  });
});

describe('rate-limit window', () => {
  it('lets a key through again once the Retry-After has passed', async () => {
    const config = testConfig({ RATE_LIMIT_QUERY_PER_WINDOW: '1', RATE_LIMIT_WINDOW_SECONDS: '1' });
    const app = await createApiApp(config, ['error']);
    await app.init();
    try {
      const call = () => http(app.getHttpServer()).get('/v1/requests/req_rate_window_unknown');
      expect((await call()).status).toBe(404);
      const limited = await call();
      expect(limited.status).toBe(429);
      await new Promise((r) => setTimeout(r, Number(limited.headers['retry-after']) * 1000 + 100));
      expect((await call()).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
