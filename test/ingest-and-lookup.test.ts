import { http } from './support/http.js';
import { makeRecord, makeRecords } from './support/factories.js';
import { rawPost } from './support/raw-post.js';
import { Pipeline, rowCounts, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('HTTP ingest → BullMQ → Postgres → lookup', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ INGEST_JOB_BATCH_SIZE: '50' }));
  });
  afterAll(() => pipeline.close());

  it('accepts a JSON array, stores every record, and looks one up by X-Request-Id', async () => {
    const records = makeRecords(120);
    const res = await http(pipeline.api.getHttpServer()).post('/v1/logs').send(records).expect(202);
    expect(res.body).toEqual({ accepted: 120, rejected: [], rejectedCount: 0 });
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]+$/);

    const ids = records.map((r) => r.requestId as string);
    await waitUntilStored(pipeline.db, ids);
    expect([...(await rowCounts(pipeline.db, ids)).values()].every((n) => n === 1)).toBe(true);

    const rateLimited = records[8];
    const lookup = await http(pipeline.api.getHttpServer()).get(`/v1/requests/${rateLimited.requestId}`).expect(200);
    expect(lookup.body).toMatchObject({
      requestId: rateLimited.requestId,
      timestamp: rateLimited.timestamp,
      method: 'POST',
      path: '/v1/sessions/ses_8f2k91ab',
      route: '/v1/sessions/:id',
      status: 429,
      statusClass: '4xx',
      statusMeaning: {
        name: 'Too Many Requests',
        description: 'You have exceeded the rate limit. Wait for the time specified in the Retry-After header before retrying.',
        documented: true,
      },
      error: 'rate_limit_exceeded',
      details: { retry_after: 30 },
      retryAfter: 30,
      apiKeyId: 'key_test_1',
      otherRecords: [],
    });
    expect(Date.parse(lookup.body.storedAt)).toBeGreaterThanOrEqual(Date.parse(lookup.body.receivedAt));
  });

  it('accepts {"records": [...]} and NDJSON, rejecting only the bad lines', async () => {
    const wrapped = makeRecords(3);
    await http(pipeline.api.getHttpServer())
      .post('/v1/logs')
      .send({ records: wrapped })
      .expect(202, { accepted: 3, rejected: [], rejectedCount: 0 });

    const good = makeRecords(2);
    const ndjson = [
      JSON.stringify(good[0]),
      '{not json',
      '',
      JSON.stringify({ ...good[1], status: 'oops' }),
      JSON.stringify(makeRecord()),
    ].join('\n');
    const res = await http(pipeline.api.getHttpServer())
      .post('/v1/logs')
      .set('Content-Type', 'application/x-ndjson')
      .send(ndjson)
      .expect(202);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { index: 1, details: { line: [expect.stringContaining('malformed JSON')] } },
      { index: 3, details: { status: ['must be an integer from 100 to 599'] } },
    ]);
    await waitUntilStored(pipeline.db, [...wrapped.map((r) => r.requestId as string), good[0].requestId as string]);
  });

  it('accepts gzip-compressed batches', async () => {
    const { gzipSync } = await import('node:zlib');
    const records = makeRecords(5);
    await rawPost(pipeline.api.getHttpServer(), '/v1/logs', gzipSync(JSON.stringify(records)), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    }).expect(202, { accepted: 5, rejected: [], rejectedCount: 0 });
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
    );
  });

  it('answers a partly valid batch with 202 and the index and fields of each rejected record', async () => {
    const records = [makeRecord(), makeRecord({ status: 700, requestId: 'bad id' }), makeRecord()];
    const res = await http(pipeline.api.getHttpServer()).post('/v1/logs').send(records).expect(202);
    expect(res.body).toEqual({
      accepted: 2,
      rejected: [{ index: 1, details: { requestId: [expect.any(String)], status: ['must be an integer from 100 to 599'] } }],
      rejectedCount: 1,
    });
  });

  it('404s an unknown request id in the conventions shape, echoing a valid incoming X-Request-Id', async () => {
    const res = await http(pipeline.api.getHttpServer())
      .get('/v1/requests/req_never_seen')
      .set('X-Request-Id', 'support-ticket-42')
      .expect(404);
    expect(res.headers['x-request-id']).toBe('support-ticket-42');
    expect(res.body).toEqual({
      error: 'not_found',
      message: expect.stringContaining('req_never_seen'),
      details: { requestId: 'req_never_seen' },
    });
  });

  it('replaces an invalid incoming X-Request-Id with a generated one', async () => {
    const res = await http(pipeline.api.getHttpServer()).get('/health/live').set('X-Request-Id', 'has spaces!').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
