import { createHash } from 'node:crypto';
import { ApiKeyRepository } from '#libs/auth';
import { anonymousHttp, http } from './support/http.js';
import { makeRecords } from './support/factories.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { servedRoutes } from './support/served-routes.js';
import { testConfig } from './support/test-env.js';

type Server = ReturnType<Pipeline['api']['getHttpServer']>;

/** Every keyed endpoint, the scope it needs, and what a right-scoped call answers. */
const ENDPOINTS = [
  {
    route: 'post /v1/logs',
    scope: 'logs:write',
    call: (s: Server, key?: string) => as(s, key).post('/v1/logs').send(makeRecords(1)),
    ok: 202,
  },
  {
    route: 'post /otlp/v1/logs',
    scope: 'logs:write',
    // An empty OTLP/JSON export: valid, nothing to store, answered 200 (OTLP's success).
    call: (s: Server, key?: string) => as(s, key).post('/otlp/v1/logs').set('content-type', 'application/json').send({ resourceLogs: [] }),
    ok: 200,
  },
  {
    route: 'get /v1/requests/:requestId',
    scope: 'logs:read',
    call: (s: Server, key?: string) => as(s, key).get('/v1/requests/req_auth_matrix_unknown'),
    ok: 404,
  },
  {
    route: 'get /v1/requests/:requestId/neighbors',
    scope: 'logs:read',
    call: (s: Server, key?: string) => as(s, key).get('/v1/requests/req_auth_matrix_unknown/neighbors'),
    ok: 404,
  },
  { route: 'get /v1/requests', scope: 'logs:read', call: (s: Server, key?: string) => as(s, key).get('/v1/requests?limit=1'), ok: 200 },
  {
    route: 'get /v1/error-rates',
    scope: 'logs:read',
    call: (s: Server, key?: string) => as(s, key).get('/v1/error-rates?interval=1h'),
    ok: 200,
  },
  { route: 'get /v1/spikes', scope: 'logs:read', call: (s: Server, key?: string) => as(s, key).get('/v1/spikes'), ok: 200 },
  {
    route: 'get /v1/admin/failed-batches',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).get('/v1/admin/failed-batches'),
    ok: 200,
  },
  {
    route: 'get /v1/admin/failed-batches/:id',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).get('/v1/admin/failed-batches/no-such-job'),
    ok: 404,
  },
  {
    route: 'post /v1/admin/failed-batches/:id/retry',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).post('/v1/admin/failed-batches/no-such-job/retry'),
    ok: 404,
  },
  {
    route: 'post /v1/admin/failed-batches/retry-all',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).post('/v1/admin/failed-batches/retry-all'),
    ok: 202,
  },
  {
    route: 'get /v1/admin/ingest/sources',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).get('/v1/admin/ingest/sources'),
    ok: 200,
  },
  {
    route: 'get /v1/admin/dead-letters',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).get('/v1/admin/dead-letters'),
    ok: 200,
  },
  {
    route: 'get /v1/admin/dead-letters/:id',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).get('/v1/admin/dead-letters/999999999'),
    ok: 404,
  },
  {
    route: 'delete /v1/admin/dead-letters/:id',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).delete('/v1/admin/dead-letters/999999999'),
    ok: 404,
  },
  {
    route: 'post /v1/admin/dead-letters/:id/retry',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).post('/v1/admin/dead-letters/999999999/retry'),
    ok: 404,
  },
  {
    route: 'post /v1/admin/dead-letters/purge',
    scope: 'admin',
    call: (s: Server, key?: string) => as(s, key).post('/v1/admin/dead-letters/purge'),
    ok: 200,
  },
] as const;

/** Routes open without a key by default (AUTH_PUBLIC_PATHS, /health, /metrics). */
const PUBLIC_ROUTE = /^(get|head) \/(health|metrics|docs|support)\b/;

function as(server: Server, key?: string) {
  const agent = anonymousHttp(server);
  return key === undefined ? agent : agent.set('X-API-Key', key);
}

describe('API keys: the auth matrix on every endpoint', () => {
  let pipeline: Pipeline;
  let server: Server;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig(), { worker: false });
    server = pipeline.api.getHttpServer();
    const repo = pipeline.api.get(ApiKeyRepository);
    keys['logs:read'] = (await repo.create('matrix reader', ['logs:read'])).key;
    keys['logs:write'] = (await repo.create('matrix writer', ['logs:write'])).key;
    keys.admin = (await repo.create('matrix admin', ['admin'])).key;
    const revoked = await repo.create('matrix revoked', ['admin']);
    await repo.revoke(revoked.id);
    keys.revoked = revoked.key;
  });
  afterAll(() => pipeline.close());

  describe.each(ENDPOINTS.map((e, i) => [i, e.scope, e] as const))('endpoint #%i (needs %s)', (_i, scope, endpoint) => {
    it('401 without a key, with an unknown key, and with a revoked key', async () => {
      for (const key of [undefined, 'vlk_not_a_real_key_at_all_0000000000', keys.revoked]) {
        const res = await endpoint.call(server, key);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          error: 'unauthorized',
          message: expect.stringContaining('X-API-Key'),
          details: { header: 'X-API-Key' },
        });
        expect(res.headers['x-request-id']).toBeDefined();
      }
    });

    it('403 with a valid key lacking the scope', async () => {
      const wrong = Object.keys(keys).filter((k) => k !== scope && k !== 'admin' && k !== 'revoked');
      for (const name of wrong) {
        const res = await endpoint.call(server, keys[name]);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ error: 'forbidden', details: { required_scope: scope } });
      }
    });

    it('passes with the right scope, and with admin (which implies every scope)', async () => {
      expect((await endpoint.call(server, keys[scope])).status).toBe(endpoint.ok);
      expect((await endpoint.call(server, keys.admin)).status).toBe(endpoint.ok);
    });
  });

  it('covers every keyed route the api serves, so a new endpoint cannot slip out of the matrix', () => {
    const served = servedRoutes(pipeline.api).filter((route) => !PUBLIC_ROUTE.test(route));
    expect(served.length).toBeGreaterThanOrEqual(ENDPOINTS.length);
    expect(ENDPOINTS.map((e) => e.route).sort()).toEqual([...new Set(served)].sort());
  });

  it('the bootstrap admin key from the environment works before any key exists in the database', async () => {
    await http(server).get('/v1/admin/failed-batches').expect(200);
  });

  it('leaves /health open by default', async () => {
    await anonymousHttp(server).get('/health/live').expect(200);
  });

  it('protects /health when HEALTH_REQUIRE_KEY=true', async () => {
    const closed = await startPipeline(testConfig({ HEALTH_REQUIRE_KEY: 'true' }), { worker: false });
    try {
      const res = await anonymousHttp(closed.api.getHttpServer()).get('/health/live').expect(401);
      expect(res.body.error).toBe('unauthorized');
      await http(closed.api.getHttpServer()).get('/health/live').expect(200);
    } finally {
      await closed.close();
    }
  });

  it('protects /health and /metrics of both apps when HEALTH_REQUIRE_KEY and METRICS_REQUIRE_KEY are true', async () => {
    const closed = await startPipeline(testConfig({ HEALTH_REQUIRE_KEY: 'true', METRICS_REQUIRE_KEY: 'true' }));
    try {
      for (const app of [closed.api, closed.worker!]) {
        for (const path of ['/health/ready', '/metrics']) {
          const res = await anonymousHttp(app.getHttpServer()).get(path).expect(401);
          expect(res.body.error).toBe('unauthorized');
          await http(app.getHttpServer()).get(path).expect(200);
        }
      }
    } finally {
      await closed.close();
    }
  });

  it('stores only a digest of each key, never the key', async () => {
    const created = await pipeline.api.get(ApiKeyRepository).create('digest check', ['logs:read']);
    const { rows } = await pipeline.db.query<{ everything: string; key_hash: Buffer }>(
      'SELECT row_to_json(k)::text AS everything, key_hash FROM api_keys k WHERE id = $1',
      [created.id],
    );
    expect(rows[0].everything).not.toContain(created.key);
    expect(rows[0].key_hash.equals(createHash('sha256').update(created.key).digest())).toBe(true);
  });
});
