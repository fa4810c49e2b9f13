import { http } from './support/http.js';
import { makeRecord } from './support/factories.js';
import { rawPost } from './support/raw-post.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const errorShape = { error: expect.any(String), message: expect.any(String), details: expect.any(Object) };

describe('bad input gets the documented status and shape, never a 500', () => {
  let pipeline: Pipeline;
  let server: ReturnType<Pipeline['api']['getHttpServer']>;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ INGEST_MAX_BODY_BYTES: '4096' }), { worker: false });
    server = pipeline.api.getHttpServer();
  });
  afterAll(() => pipeline.close());

  it('400s malformed JSON', async () => {
    const res = await http(server).post('/v1/logs').set('Content-Type', 'application/json').send('[{"requestId": ').expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      message: 'The request body is not valid JSON.',
      details: { body: [expect.any(String)] },
    });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('400s a body that is not UTF-8', async () => {
    const res = await rawPost(server, '/v1/logs', Buffer.from([0x5b, 0xc3, 0x28, 0x5d]), { 'Content-Type': 'application/json' }).expect(
      400,
    );
    expect(res.body).toMatchObject({ ...errorShape, error: 'bad_request' });
  });

  it('422s a batch where no record is valid, with per-field details per record', async () => {
    const res = await http(server)
      .post('/v1/logs')
      .send([{ requestId: 'r1', status: '500' }, makeRecord({ durationMs: -5 })])
      .expect(422);
    expect(res.body.error).toBe('validation_error');
    expect(res.body.message).toBe('No record in the batch is valid.');
    expect(res.body.details).toMatchObject({
      'records[0].timestamp': ['is required'],
      'records[0].method': ['is required'],
      'records[0].path': ['is required'],
      'records[0].status': ['must be an integer from 100 to 599'],
      'records[0].durationMs': ['is required'],
      'records[1].durationMs': ['must be a number of milliseconds, 0 or more'],
    });
  });

  it.each([
    ['an empty array', []],
    ['an object without records', { foo: 1 }],
    ['records that is not an array', { records: 'x' }],
    ['a bare number', 5],
    ['null', null],
  ])('422s %s', async (_, body) => {
    const res = await http(server).post('/v1/logs').set('Content-Type', 'application/json').send(JSON.stringify(body)).expect(422);
    expect(res.body).toEqual({ error: 'validation_error', message: expect.any(String), details: { records: [expect.any(String)] } });
  });

  it('413s a body over the configured limit, by Content-Length and by actual size', async () => {
    const big = JSON.stringify(Array.from({ length: 40 }, () => makeRecord()));
    const res = await http(server).post('/v1/logs').set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.body).toEqual({ error: 'payload_too_large', message: expect.stringContaining('4096'), details: { max_bytes: 4096 } });
  });

  it('413s a gzip bomb by its decompressed size', async () => {
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.from(`[${' '.repeat(1_000_000)}]`));
    expect(bomb.length).toBeLessThan(4096);
    await rawPost(server, '/v1/logs', bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).expect(413);
  });

  it('400s a body that claims gzip but is not', async () => {
    const res = await http(server)
      .post('/v1/logs')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('[]')
      .expect(400);
    expect(res.body).toMatchObject(errorShape);
  });

  it('415s an unsupported content type or encoding', async () => {
    await http(server).post('/v1/logs').set('Content-Type', 'text/csv').send('a,b').expect(415);
    await http(server).post('/v1/logs').set('Content-Type', 'application/json').set('Content-Encoding', 'zstd').send('[]').expect(415);
  });

  it('404s unknown routes and 422s a malformed request id, in the conventions shape', async () => {
    const notFound = await http(server).get('/v1/nope').expect(404);
    expect(notFound.body).toEqual({ error: 'not_found', message: expect.any(String), details: {} });
    const bad = await http(server)
      .get(`/v1/requests/${'x'.repeat(200)}`)
      .expect(422);
    expect(bad.body).toEqual({ error: 'validation_error', message: expect.any(String), details: { requestId: [expect.any(String)] } });
  });

  it('answers a badly encoded path in the conventions shape, not 500', async () => {
    const res = await http(server).get('/v1/requests/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toMatchObject(errorShape);
  });

  it.each([5_000, 200_000])('answers details nested %i deep with a 4xx in the conventions shape, not a crash', async (depth) => {
    const record = JSON.stringify(makeRecord()).slice(0, -1);
    const body = `[${record},"details":${'{"n":'.repeat(depth)}"leaf"${'}'.repeat(depth)}}]`;
    const big = await startPipeline(testConfig(), { worker: false });
    try {
      const res = await rawPost(big.api.getHttpServer(), '/v1/logs', body, { 'Content-Type': 'application/json' });
      expect([400, 422]).toContain(res.status);
      expect(res.body).toMatchObject(errorShape);
      if (res.status === 422) expect(res.body.details['records[0].details']).toEqual([expect.any(String)]);
    } finally {
      await big.close();
    }
  });
});
