import { http } from './support/http.js';
import { makeRecord } from './support/factories.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SEARCH_ENDPOINTS = ['/v1/requests', '/v1/error-rates', '/v1/spikes'];
const LOOKUP_ENDPOINTS = ['/v1/requests/req_odd_params', '/v1/requests/req_odd_params/neighbors'];
const OBJECT_PROTOTYPE_NAMES = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

/** [path with query, the parameter (details key) the 422 must name] */
const CASES: [string, string][] = [
  // Names of Object.prototype's members: unknown parameters like any other, on every read endpoint.
  ...[...SEARCH_ENDPOINTS, ...LOOKUP_ENDPOINTS].flatMap((path) =>
    OBJECT_PROTOTYPE_NAMES.map((name): [string, string] => [`${path}?${name}=1`, name]),
  ),
  // NUL, which Postgres text cannot hold.
  ...SEARCH_ENDPOINTS.map((path): [string, string] => [`${path}?apiKeyId=a%00b`, 'apiKeyId']),
  ...SEARCH_ENDPOINTS.map((path): [string, string] => [`${path}?route=%2Fv1%00`, 'route']),
  ['/v1/requests?errorCode=%00', 'errorCode'],
  ['/v1/error-rates?errorCode=%00', 'errorCode'],
  ['/v1/requests?status=500%00', 'status'],
  // Cursors that decode to a NUL id, a year Postgres cannot hold, or not a pair at all.
  [`/v1/requests?cursor=${cursorOf(['2026-11-01T00:00:00.000Z', 'req\u0000x'])}`, 'cursor'],
  [`/v1/requests?cursor=${cursorOf(['-004714-11-24T00:00:00.000Z', 'req_1'])}`, 'cursor'],
  [`/v1/requests?cursor=${cursorOf(['+275760-09-13T00:00:00.000Z', 'req_1'])}`, 'cursor'],
  [`/v1/requests?cursor=${cursorOf(null)}`, 'cursor'],
  [`/v1/requests?cursor=${cursorOf('ab')}`, 'cursor'],
  // Repeated single-valued parameters, and values that are not status codes.
  ...SEARCH_ENDPOINTS.map((path): [string, string] => [`${path}?status=1&status=2`, 'status']),
  ...SEARCH_ENDPOINTS.map((path): [string, string] => [`${path}?from=2026-11-01T00:00:00Z&from=2026-11-02T00:00:00Z`, 'from']),
  ['/v1/requests?limit=1&limit=2', 'limit'],
  ['/v1/error-rates?top=1&top=2', 'top'],
  ['/v1/requests/req_odd_params/neighbors?limit=1&limit=2', 'limit'],
  ['/v1/requests/req_odd_params/neighbors?limit=%00', 'limit'],
  // Brackets: Express's simple parser keeps them in the name, so they are unknown parameters.
  ...[...SEARCH_ENDPOINTS, ...LOOKUP_ENDPOINTS].map((path): [string, string] => [`${path}?route[a]=b`, 'route[a]']),
  ['/v1/requests?status[]=500', 'status[]'],
  // Dates outside what the API serves.
  ['/v1/requests?from=-4714-11-24T00:00:00Z', 'from'],
  ['/v1/requests?from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z', 'from'],
  ['/v1/error-rates?to=9999-12-31T23:59:59Z', 'to'],
];

/** Request ids that cannot exist (not 1-128 of [A-Za-z0-9._:-]): 422 naming requestId, never a query. */
const BAD_IDS = ['a%00b', '%00', 'x'.repeat(129), 'a%20b', '%E2%80%AE', 'a%2Fb'];

describe('odd query parameters and ids answer 422 with per-field details, never 500', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    const record = makeRecord({ requestId: 'req_odd_params' });
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send([record]).expect(202);
    await waitUntilStored(pipeline.db, ['req_odd_params']);
  });
  afterAll(() => pipeline.close());

  it.each(CASES)('%s → 422 naming %s', async (path, field) => {
    const res = await http(pipeline.api.getHttpServer()).get(path);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect([res.status, res.body.error]).toEqual([422, 'validation_error']);
    expect(res.body.message).toEqual(expect.any(String));
    expect(Object.prototype.hasOwnProperty.call(res.body.details, field)).toBe(true);
    expect(res.body.details[field]).toEqual([expect.any(String)]);
  });

  it.each(BAD_IDS.flatMap((id) => [`/v1/requests/${id}`, `/v1/requests/${id}/neighbors`]))('%s → 422 naming requestId', async (path) => {
    const res = await http(pipeline.api.getHttpServer()).get(path);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'validation_error', message: expect.any(String), details: { requestId: [expect.any(String)] } });
  });

  it('still answers the same endpoints with ordinary parameters', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server).get('/v1/requests?status=500&status=503&limit=5').expect(200);
    await http(server).get('/v1/error-rates?statusClass=5xx').expect(200);
    await http(server).get('/v1/spikes?status=429').expect(200);
    await http(server).get('/v1/requests/req_odd_params').expect(200);
    await http(server).get('/v1/requests/req_odd_params/neighbors?limit=3').expect(200);
    await http(server).get('/v1/requests/req_unknown_but_valid').expect(404);
  });
});
