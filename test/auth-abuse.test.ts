import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { ApiKeyRepository } from '#libs/auth';
import { anonymousHttp } from './support/http.js';
import { sampleSum } from './support/metrics-text.js';
import { expectRateLimited } from './support/rate-limited.js';
import { type TestConfig, testConfig } from './support/test-env.js';

const LOOKUPS = 'verilock_auth_key_lookups_total';
const randomKey = () => `vlk_${randomBytes(32).toString('base64url')}`;

async function startReplicas(config: TestConfig, count: number): Promise<NestFastifyApplication[]> {
  const replicas = [];
  for (let i = 0; i < count; i++) replicas.push(await createApiApp(config, ['error']));
  await Promise.all(replicas.map((r) => r.init()));
  return replicas;
}

async function lookups(replicas: NestFastifyApplication[], labels: Record<string, string> = {}): Promise<number> {
  let sum = 0;
  for (const r of replicas) sum += sampleSum((await anonymousHttp(r.getHttpServer()).get('/metrics')).text, LOOKUPS, labels);
  return sum;
}

/** A keyed GET from client `ip` (X-Forwarded-For, believed through TRUST_PROXY=loopback). */
function call(replica: NestFastifyApplication, key: string, ip?: string) {
  const req = anonymousHttp(replica.getHttpServer()).get('/v1/requests/req_auth_abuse_unknown').set('X-API-Key', key);
  return ip ? req.set('X-Forwarded-For', ip) : req;
}

describe('unknown-key cache: a wrong key costs at most one Postgres lookup per digest within the TTL', () => {
  it('answers a repeated wrong key from memory, even when the requests arrive together', async () => {
    const [api] = await startReplicas(testConfig({ AUTH_UNKNOWN_KEY_CACHE_SECONDS: '600' }), 1);
    try {
      const wrong = randomKey();
      const before = await lookups([api], { result: 'unknown' });
      const together = await Promise.all(Array.from({ length: 10 }, () => call(api, wrong)));
      for (let i = 0; i < 10; i++) together.push(await call(api, wrong));
      expect(together.map((r) => r.status)).toEqual(Array(20).fill(401));
      expect((await lookups([api], { result: 'unknown' })) - before).toBe(1);
      // Another digest is looked up once on its own.
      expect((await call(api, randomKey())).status).toBe(401);
      expect((await lookups([api], { result: 'unknown' })) - before).toBe(2);
    } finally {
      await api.close();
    }
  });

  it('looks every request up when the cache is off (the counter counts real lookups)', async () => {
    const [api] = await startReplicas(testConfig({ AUTH_UNKNOWN_KEY_CACHE_SECONDS: '0' }), 1);
    try {
      const wrong = randomKey();
      for (let i = 0; i < 5; i++) expect((await call(api, wrong)).status).toBe(401);
      expect(await lookups([api], { result: 'unknown' })).toBe(5);
    } finally {
      await api.close();
    }
  });

  it('still lets a valid key in, and caches revoked keys like unknown ones', async () => {
    const [api] = await startReplicas(testConfig({ AUTH_UNKNOWN_KEY_CACHE_SECONDS: '600', AUTH_CACHE_SECONDS: '0' }), 1);
    try {
      const repo = api.get(ApiKeyRepository);
      const key = await repo.create('unknown-cache valid', ['logs:read']);
      expect((await call(api, key.key)).status).toBe(404);
      await repo.revoke(key.id);
      for (let i = 0; i < 3; i++) expect((await call(api, key.key)).status).toBe(401);
      expect(await lookups([api], { result: 'revoked' })).toBe(1);
    } finally {
      await api.close();
    }
  });
});

describe('failed authentications per client IP, across api replicas', () => {
  const LIMIT = 5;
  let replicas: NestFastifyApplication[];
  let validKey: string;
  beforeAll(async () => {
    const config = testConfig({
      AUTH_MAX_FAILURES_PER_MINUTE: String(LIMIT),
      TRUST_PROXY: 'loopback',
      AUTH_UNKNOWN_KEY_CACHE_SECONDS: '0',
    });
    replicas = await startReplicas(config, 2);
    validKey = (await replicas[0].get(ApiKeyRepository).create('failed-auth limit', ['logs:read'])).key;
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
  });

  it('answers 429 with Retry-After after the limit, on every replica, without looking the keys up', async () => {
    const attacker = '198.51.100.7';
    for (let i = 0; i < LIMIT; i++) expect((await call(replicas[i % 2], randomKey(), attacker)).status).toBe(401);
    const lookupsAtLimit = await lookups(replicas);
    for (const replica of replicas) {
      expectRateLimited(await call(replica, randomKey(), attacker), {
        message: (seconds) => `Too many failed authentications from this client. Please retry after ${seconds} seconds.`,
        limit: LIMIT,
        bucket: 'auth_failures',
      });
    }
    expect(await lookups(replicas)).toBe(lookupsAtLimit);
    const refusals = (await anonymousHttp(replicas[0].getHttpServer()).get('/metrics')).text;
    expect(sampleSum(refusals, 'verilock_auth_refusals_total', { reason: 'too_many_failures' })).toBe(1);
  });

  it('leaves other clients alone, and lets a key verified before through even from the limited client', async () => {
    const attacker = '198.51.100.8';
    const neighbour = '198.51.100.9';
    expect((await call(replicas[0], validKey, neighbour)).status).toBe(404);
    for (let i = 0; i < LIMIT; i++) await call(replicas[0], randomKey(), attacker);
    expect((await call(replicas[0], randomKey(), attacker)).status).toBe(429);
    // The neighbour has its own budget: its wrong key is a plain 401, its valid key works.
    expect((await call(replicas[1], randomKey(), neighbour)).status).toBe(401);
    expect((await call(replicas[1], validKey, neighbour)).status).toBe(404);
    // Replica 0 verified validKey before: no lookup is needed, so the limited client may use it.
    expect((await call(replicas[0], validKey, attacker)).status).toBe(404);
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await call(replicas[0], randomKey(), `2001:db8:7:7::${i + 1}`)).status).toBe(401);
    expect((await call(replicas[1], randomKey(), '2001:db8:7:7:ffff::1')).status).toBe(429);
    expect((await call(replicas[1], randomKey(), '2001:db8:7:8::1')).status).toBe(401);
  });
});

describe('failed authentications without a trusted proxy', () => {
  it('ignores X-Forwarded-For: rotating it does not buy a client more guesses', async () => {
    const [api] = await startReplicas(testConfig({ AUTH_MAX_FAILURES_PER_MINUTE: '3' }), 1);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(api, randomKey(), `203.0.113.${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await api.close();
    }
  });
});
