import { anonymousHttp, http } from './support/http.js';
import { makeRecord, makeRecords } from './support/factories.js';
import { labelValues, promtoolCheckMetrics, sampleSum } from './support/metrics-text.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('GET /metrics on the api and the worker', () => {
  let pipeline: Pipeline;
  const scrape = async (app: 'api' | 'worker', accept?: string) => {
    const req = anonymousHttp(pipeline[app]!.getHttpServer()).get('/metrics');
    if (accept) req.set('Accept', accept);
    const res = await req.expect(200);
    return res.text;
  };

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ INGEST_JOB_BATCH_SIZE: '7', METRICS_MAX_ROUTES: '3', METRICS_MAX_API_KEYS: '2' }));
  });
  afterAll(() => pipeline.close());

  it('counts requests from the rows really stored: a batch sent twice counts once', async () => {
    const records = makeRecords(30);
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send(records).expect(202);
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
    );
    await http(server).post('/v1/logs').send(records).expect(202);
    let worker = await scrape('worker');
    for (let i = 0; i < 200 && sampleSum(worker, 'verilock_ingest_records_duplicate_total') < 30; i++) {
      await new Promise((r) => setTimeout(r, 50));
      worker = await scrape('worker');
    }
    expect(sampleSum(worker, 'verilock_ingest_records_duplicate_total')).toBe(30);
    expect(sampleSum(worker, 'verilock_ingest_records_stored_total')).toBe(30);
    expect(sampleSum(worker, 'verilock_api_requests_total')).toBe(30);
    expect(
      sampleSum(worker, 'verilock_api_requests_total', { status: '429', status_class: '4xx', error_code: 'rate_limit_exceeded' }),
    ).toBe(3);
    expect(sampleSum(worker, 'verilock_api_requests_total', { status: '503', route: '/v1/webhook-endpoints' })).toBe(3);
    expect(sampleSum(worker, 'verilock_api_request_duration_seconds_count', { method: 'POST', status_class: '2xx' })).toBe(21);
    expect(sampleSum(worker, 'verilock_api_retry_after_seconds_count', { status: '429' })).toBe(3);
    expect(sampleSum(worker, 'verilock_ingest_lag_seconds_count')).toBe(30);
    expect(sampleSum(worker, 'verilock_ingest_batches_total', { outcome: 'stored' })).toBe(10);

    const api = await scrape('api');
    expect(sampleSum(api, 'verilock_ingest_records_received_total', { source: 'record' })).toBe(60);
    expect(sampleSum(api, 'verilock_ingest_records_accepted_total', { source: 'record' })).toBe(60);
    expect(sampleSum(api, 'verilock_api_requests_total')).toBe(0);
  });

  it('writes batches that arrive while Postgres is busy together (group commit), each still counted once', async () => {
    const before = await scrape('worker');
    const records = makeRecords(140); // 20 jobs of 7, enqueued at once
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send(records).expect(202);
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
    );
    let after = await scrape('worker');
    for (
      let i = 0;
      i < 100 && sampleSum(after, 'verilock_ingest_write_batches_sum') - sampleSum(before, 'verilock_ingest_write_batches_sum') < 20;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
      after = await scrape('worker');
    }
    const added = (name: string) => sampleSum(after, name) - sampleSum(before, name);
    expect(added('verilock_ingest_write_batches_sum')).toBe(20);
    expect(added('verilock_ingest_write_batches_count')).toBeLessThan(20);
    expect(added('verilock_ingest_write_duration_seconds_count')).toBe(added('verilock_ingest_write_batches_count'));
    expect(added('verilock_ingest_batches_total')).toBe(20);
    expect(added('verilock_ingest_records_stored_total')).toBe(140);
  });

  it('counts rejected records by their first invalid field', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server)
      .post('/v1/logs')
      .send([makeRecord(), makeRecord({ status: 700 }), makeRecord({ status: 700, method: 1 })])
      .expect(202);
    await http(server)
      .post('/v1/logs')
      .set('Content-Type', 'application/x-ndjson')
      .send(`${JSON.stringify(makeRecord())}\n{oops`)
      .expect(202);
    const api = await scrape('api');
    expect(sampleSum(api, 'verilock_ingest_records_rejected_total', { reason: 'status' })).toBe(1);
    expect(sampleSum(api, 'verilock_ingest_records_rejected_total', { reason: 'method' })).toBe(1);
    expect(sampleSum(api, 'verilock_ingest_records_rejected_total', { reason: 'malformed_json' })).toBe(1);
  });

  it('caps routes and API keys, folding the rest into "other"', async () => {
    const records = ['/v1/a', '/v1/b', '/v1/c', '/v1/d', '/v1/e'].flatMap((path, i) => [makeRecord({ path, apiKeyId: `key_cap_${i}` })]);
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send(records).expect(202);
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
    );
    const worker = await scrape('worker');
    expect(labelValues(worker, 'verilock_api_requests_total', 'route')).toHaveLength(4); // 3 kept + other
    expect(labelValues(worker, 'verilock_api_requests_total', 'route')).toContain('other');
    expect(labelValues(worker, 'verilock_api_key_requests_total', 'api_key')).toEqual(expect.arrayContaining(['other']));
    expect(labelValues(worker, 'verilock_api_key_requests_total', 'api_key')).toHaveLength(3);
  });

  it('serves OpenMetrics with request-id exemplars when asked, and the text format again after', async () => {
    const openMetrics = await scrape('worker', 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5');
    expect(openMetrics.trimEnd().endsWith('# EOF')).toBe(true);
    expect(openMetrics).toMatch(/verilock_api_request_duration_seconds_bucket\{[^}]*\} \d+ # \{request_id="req_[^"]+"\} [\d.e-]+ [\d.]+/);
    expect(openMetrics).toMatch(/^# TYPE verilock_ingest_records_stored counter$/m);
    const text = await scrape('worker');
    expect(text).toMatch(/^# TYPE verilock_ingest_records_stored_total counter$/m);
    expect(text).not.toContain('# EOF');
  });

  it.each(['api', 'worker'] as const)('%s: every metric passes `promtool check metrics`', async (app) => {
    const exposition = await scrape(app);
    expect(exposition).toContain('verilock_ingest_queue_jobs{state="waiting"');
    expect(sampleSum(exposition, 'verilock_ingest_queue_reachable')).toBe(1);
    expect(promtoolCheckMetrics(exposition)).toEqual({ status: 0, output: '' });
  });
});
