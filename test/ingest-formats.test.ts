import { readFileSync } from 'node:fs';
import { http } from './support/http.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

type Line = Record<string, unknown>;

/** The recorded samples the presets' unit specs read (libs/log-formats/src/fixtures), with fresh times and ids. */
const FIXTURES = 'libs/log-formats/src/fixtures';
const ndjson = (name: string): Line[] =>
  readFileSync(`${FIXTURES}/${name}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
const json = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));

const run = Date.now().toString(36);
const unique = (id: string) => `${id}_${run}`;
/** Whole seconds, a minute ago: inside the ingest window, and nginx's $time_iso8601 has no fractions. */
const base = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const nginxTime = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, '+00:00');

describe('POST /v1/logs?format=… (source presets) → lookup', () => {
  let pipeline: Pipeline;
  const post = (format: string) => http(pipeline.api.getHttpServer()).post(`/v1/logs?format=${format}`);
  const lookUp = (id: string) => http(pipeline.api.getHttpServer()).get(`/v1/requests/${id}`).expect(200);
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({}));
  });
  afterAll(() => pipeline.close());

  it('stores an nginx NDJSON batch: status, route, duration, error code and Retry-After (seconds or HTTP-date)', async () => {
    const lines = ndjson('nginx.ndjson').map((line, i): Line => ({
      ...line,
      request_id: unique(`ngx${i}`),
      time: nginxTime(base + i * 1000),
    }));
    lines[2].retry_after = new Date(base + 2000 + 120_000).toUTCString();
    const body = lines.map((line) => JSON.stringify(line)).join('\n');
    await post('nginx').set('Content-Type', 'application/x-ndjson').send(body).expect(202, { accepted: 4, rejected: [], rejectedCount: 0 });
    await waitUntilStored(
      pipeline.db,
      lines.map((line) => line.request_id as string),
    );

    expect((await lookUp(unique('ngx1'))).body).toMatchObject({
      method: 'POST',
      path: '/v1/sessions',
      route: '/v1/sessions',
      status: 429,
      durationMs: 13,
      error: 'rate_limit_exceeded',
      retryAfter: 30,
      apiKeyId: 'key_live_7',
    });
    expect((await lookUp(unique('ngx2'))).body).toMatchObject({
      status: 503,
      durationMs: 0,
      error: 'service_unavailable',
      retryAfter: 120,
      apiKeyId: null,
    });
    expect((await lookUp(unique('ngx3'))).body).toMatchObject({
      path: '/v1/orders/ord_5/items/3',
      route: '/v1/orders/ord_5/items/:id',
      status: 422,
      durationMs: 1250,
    });
  });

  it('stores an Envoy batch and rejects, line by line, what cannot be mapped or is not a valid record', async () => {
    const lines: unknown[] = ndjson('envoy.ndjson').map((line, i) => ({
      ...line,
      request_id: line.request_id === '-' ? '-' : unique(`envoy${i}`),
      start_time: new Date(base + i * 1000).toISOString(),
    }));
    lines.push({ ...(lines[0] as Line), request_id: unique('envoy_slow'), duration: 'slow' }, 'GET /v1/health 200');
    const res = await post('envoy').send(lines).expect(202);
    expect(res.body).toEqual({
      accepted: 2,
      rejected: [
        { index: 2, details: { requestId: ['is required'], status: ['must be an integer from 100 to 599'] } },
        { index: 3, details: { durationMs: ['must be a whole number (from "duration")'] } },
        { index: 4, details: { record: ['must be a JSON object (an Envoy access log line)'] } },
      ],
      rejectedCount: 3,
    });
    await waitUntilStored(pipeline.db, [unique('envoy0'), unique('envoy1')]);
    expect((await lookUp(unique('envoy0'))).body).toMatchObject({
      path: '/v1/locations',
      route: '/v1/locations',
      status: 204,
      durationMs: 226,
    });
    expect((await lookUp(unique('envoy1'))).body).toMatchObject({
      route: '/v1/users/usr_12',
      status: 429,
      durationMs: 3,
      error: 'rate_limit_exceeded',
      retryAfter: 12,
      userAgent: null,
    });
  });

  it('stores a Kong http-log array (its queue batch) and a lone Kong object', async () => {
    const entries = (json('kong-batch.json') as Line[]).map((entry, i): Line => ({ ...entry, started_at: base + i * 1000 }));
    const request = (entries[0].request as Line).headers as Line;
    request['x-request-id'] = unique('kong0');
    (entries[1].request as Line).id = unique('kong1');
    await post('kong').send(entries).expect(202, { accepted: 2, rejected: [], rejectedCount: 0 });

    const single = json('kong-single.json') as Line;
    const lone = {
      ...single,
      started_at: base,
      request: { ...(single.request as Line), headers: { 'x-request-id': unique('kong_lone') } },
    };
    await post('kong').send(lone).expect(202, { accepted: 1, rejected: [], rejectedCount: 0 });

    await waitUntilStored(pipeline.db, [unique('kong0'), unique('kong1'), unique('kong_lone')]);
    expect((await lookUp(unique('kong0'))).body).toMatchObject({
      path: '/v1/users/usr_12',
      route: '/v1/users/:id',
      status: 429,
      durationMs: 7,
      error: 'rate_limit_exceeded',
      retryAfter: 20,
      apiKeyId: 'key_live_7',
    });
    expect((await lookUp(unique('kong1'))).body).toMatchObject({ method: 'POST', route: '/v1/orders', status: 201, durationMs: 41 });
    expect((await lookUp(unique('kong_lone'))).body).toMatchObject({ path: '/log', status: 200, durationMs: 515, apiKeyId: 'foo' });
  });

  it('stores through a generic field map given in the query', async () => {
    const lines = [{ rid: unique('gen0'), at: base / 1000, req: { verb: 'GET', uri: '/v1/keys' }, code: '404', took: '0.002' }];
    await post(
      'generic&map.requestId=rid&map.timestamp=at&map.method=req.verb&map.path=req.uri&map.status=code&map.durationMs=took&durationUnit=s',
    )
      .send(lines)
      .expect(202, { accepted: 1, rejected: [], rejectedCount: 0 });
    await waitUntilStored(pipeline.db, [unique('gen0')]);
    expect((await lookUp(unique('gen0'))).body).toMatchObject({ path: '/v1/keys', status: 404, durationMs: 2 });
  });

  it('answers 422 naming the allowed formats, and for unknown parameters, before reading the body', async () => {
    const unknown = await post('apache').send([{}]).expect(422);
    expect(unknown.body).toEqual({
      error: 'validation_error',
      message: expect.any(String),
      details: { format: ['must be one of verilock, nginx, envoy, kong, generic'] },
    });
    const stray = await post('nginx&map.status=code').send([{}]).expect(422);
    expect(stray.body.details).toEqual({ 'map.status': ['is not a known parameter (only with format=generic)'] });
  });
});
