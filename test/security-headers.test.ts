import type { Response } from 'supertest';
import { ApiKeyRepository } from '#libs/auth';
import { anonymousHttp, http } from './support/http.js';
import { makeRecords } from './support/factories.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

type Server = ReturnType<Pipeline['api']['getHttpServer']>;
type App = 'api' | 'worker';

/**
 * Representative routes of both apps: keyed answers, public pages (/docs and /support take keys, so no
 * other site may frame them), errors of each kind (some echo the request), /metrics and health.
 */
const ROUTES: { name: string; app: App; status: number; send: (s: Server) => Promise<Response> }[] = [
  { name: 'keyed lookup (404)', app: 'api', status: 404, send: (s) => http(s).get('/v1/requests/req_headers_unknown') },
  { name: 'keyed search (200)', app: 'api', status: 200, send: (s) => http(s).get('/v1/requests?limit=1') },
  { name: 'keyed ingest (202)', app: 'api', status: 202, send: (s) => http(s).post('/v1/logs').send(makeRecords(1)) },
  {
    name: 'invalid ingest (422)',
    app: 'api',
    status: 422,
    send: (s) =>
      http(s)
        .post('/v1/logs')
        .send([{ requestId: '<script>' }]),
  },
  { name: 'invalid query (422)', app: 'api', status: 422, send: (s) => http(s).get('/v1/error-rates?interval=<b>') },
  { name: 'no key (401)', app: 'api', status: 401, send: (s) => anonymousHttp(s).get('/v1/requests') },
  { name: 'wrong scope (403)', app: 'api', status: 403, send: (s) => anonymousHttp(s).post('/v1/logs').set('X-API-Key', readKey).send([]) },
  { name: 'unknown route (404)', app: 'api', status: 404, send: (s) => anonymousHttp(s).get('/no/such/<route>') },
  { name: 'api /metrics', app: 'api', status: 200, send: (s) => anonymousHttp(s).get('/metrics') },
  { name: 'api /health/live', app: 'api', status: 200, send: (s) => anonymousHttp(s).get('/health/live') },
  { name: '/docs', app: 'api', status: 200, send: (s) => anonymousHttp(s).get('/docs').redirects(1) },
  { name: '/docs/openapi.json', app: 'api', status: 200, send: (s) => anonymousHttp(s).get('/docs/openapi.json') },
  { name: '/support', app: 'api', status: 200, send: (s) => anonymousHttp(s).get('/support') },
  { name: 'worker /metrics', app: 'worker', status: 200, send: (s) => anonymousHttp(s).get('/metrics') },
  { name: 'worker /health/ready', app: 'worker', status: 200, send: (s) => anonymousHttp(s).get('/health/ready') },
  { name: 'worker unknown route (404)', app: 'worker', status: 404, send: (s) => anonymousHttp(s).get('/v1/logs') },
];

let readKey: string;

describe('security headers on every response of both apps', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    readKey = (await pipeline.api.get(ApiKeyRepository).create('headers reader', ['logs:read'])).key;
  });
  afterAll(() => pipeline.close());

  it.each(ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const res = await route.send((route.app === 'api' ? pipeline.api : pipeline.worker!).getHttpServer());
    expect(res.status).toBe(route.status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Health answers keep terminus's longer "no-cache, no-store, must-revalidate": no-store is what counts.
    expect(res.headers['cache-control']).toMatch(/(^|,\s*)no-store(,|$)/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/(^|;)\s*frame-ancestors 'none'\s*(;|$)/);
    expect(res.headers['x-request-id']).toBeDefined();
    // Nothing is stored, so nothing revalidates: no ETag, whose SHA-1 of every body would be wasted CPU.
    expect(res.headers.etag).toBeUndefined();
  });
});
