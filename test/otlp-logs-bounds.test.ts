import otlpRoot from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { anonymousHttp, http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { rawPost } from './support/raw-post.js';
import { testConfig } from './support/test-env.js';

/** POST /otlp/v1/logs's whole-request answers and bounded work; the exporters as clients are in otlp-logs.test.ts. */
const run = Date.now().toString(36);
const unique = (id: string) => `otlp_${id}_${run}`;
const minuteAgo = Date.now() - 60_000;

describe('POST /otlp/v1/logs refusing a whole request', () => {
  let pipeline: Pipeline;
  const post = (body: Buffer | string, headers: Record<string, string>) =>
    rawPost(pipeline.api.getHttpServer(), '/otlp/v1/logs', Buffer.from(body), headers);
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ INGEST_MAX_RECORDS_PER_REQUEST: '3' }), { worker: false });
  });
  afterAll(() => pipeline.close());

  it('200s an empty export (valid OTLP) with an empty ExportLogsServiceResponse in its encoding', async () => {
    const protobuf = await post('', { 'Content-Type': 'application/x-protobuf' }).expect(200);
    expect(protobuf.headers['content-type']).toMatch(/^application\/x-protobuf/);
    expect(protobuf.headers['content-length']).toBe('0');
    const json = await post('{"resourceLogs":[]}', { 'Content-Type': 'application/json' }).expect(200);
    expect(json.body).toEqual({});
  });

  it('400s a body that is not protobuf, with a clear error', async () => {
    const res = await post('this is not protobuf', { 'Content-Type': 'application/x-protobuf' }).expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      message: 'The request body is not a protobuf ExportLogsServiceRequest.',
      details: { body: [expect.any(String)] },
    });
  });

  it('400s JSON that is not an ExportLogsServiceRequest, naming where', async () => {
    const res = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: {} }] }), { 'Content-Type': 'application/json' }).expect(400);
    expect(res.body.details).toEqual({ 'resourceLogs[0].scopeLogs': ['must be a JSON array'] });
  });

  it('415s a media type OTLP/HTTP does not use, before reading the body', async () => {
    const res = await post('{}', { 'Content-Type': 'application/x-ndjson' }).expect(415);
    expect(res.body.details.supported).toEqual(['application/x-protobuf', 'application/protobuf', 'application/json']);
  });

  it('413s more log records than INGEST_MAX_RECORDS_PER_REQUEST, gzip or not', async () => {
    const records = Array.from({ length: 4 }, () => ({ timeUnixNano: '1' }));
    const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: records.slice(0, 2) }, { logRecords: records.slice(2) }] }] });
    const res = await post(gzipSync(body), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).expect(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', details: { max_records: 3 } });
  });

  it('422s a request none of whose records is valid, and 401s one without a key', async () => {
    const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hello' } }] }] }] });
    const res = await http(pipeline.api.getHttpServer())
      .post('/otlp/v1/logs')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(422);
    expect(res.body.details).toMatchObject({ 'records[0].requestId': ['is required'], rejected_count: 1 });
    await anonymousHttp(pipeline.api.getHttpServer()).post('/otlp/v1/logs').set('Content-Type', 'application/json').send(body).expect(401);
  });
});

describe('a near-maximum protobuf export does not hold the event loop', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig(), { worker: false });
  });
  afterAll(() => pipeline.close());

  it('counts, decodes, validates and enqueues ~9 MiB of log records in slices: no turn takes a quarter of the request', async () => {
    const RECORDS = 19_000; // ~515 bytes each: just under INGEST_MAX_BODY_BYTES
    type Encoder = { encode(message: unknown): { finish(): Uint8Array } };
    const proto = (otlpRoot as unknown as { opentelemetry: { proto: { collector: { logs: { v1: Record<string, Encoder> } } } } })
      .opentelemetry.proto;
    const attribute = (key: string, stringValue: string) => ({ key, value: { stringValue } });
    const logRecords = Array.from({ length: RECORDS }, (_, i) => ({
      timeUnixNano: `${minuteAgo}000000`,
      body: { stringValue: 'request served' },
      attributes: [
        { key: 'http.request.header.x-request-id', value: { arrayValue: { values: [{ stringValue: unique(`big_${i}`) }] } } },
        attribute('http.request.method', 'GET'),
        attribute('url.path', `/v1/users/usr_${i}`),
        attribute('http.route', '/v1/users/:id'),
        { key: 'http.response.status_code', value: { intValue: 200 } },
        { key: 'http.server.request.duration', value: { doubleValue: 0.004 } },
        attribute('user_agent.original', 'verilock-node/3.1 '.repeat(12)),
      ],
    }));
    const body = Buffer.from(
      proto.collector.logs.v1.ExportLogsServiceRequest.encode({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] }).finish(),
    );
    expect(body.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(body.length).toBeLessThan(10 * 1024 * 1024);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const res = await rawPost(pipeline.api.getHttpServer(), '/otlp/v1/logs', body, { 'Content-Type': 'application/x-protobuf' });
    const elapsedMs = performance.now() - started;
    delay.disable();
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('0'); // an empty ExportLogsServiceResponse: all accepted
    const longestTurnMs = delay.max / 1e6;
    console.log(
      `[otlp bounded-work] ${RECORDS} records, ${body.length} bytes: 200 in ${elapsedMs.toFixed(0)} ms, ` +
        `longest turn ${longestTurnMs.toFixed(1)} ms`,
    );
    // A ratio, not a time: a loaded machine slows both alike.
    expect(longestTurnMs).toBeLessThan(elapsedMs / 4);
  });
});
