import { Redis } from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyRepository } from '#libs/auth';
import type { SourceReport } from '#libs/ingest-sources';
import { INGEST_SOURCES } from '#libs/source-health';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { anonymousHttp, http } from './support/http.js';
import { makeRecord, makeRecords } from './support/factories.js';
import { labelValues, sampleSum } from './support/metrics-text.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { pollUntil } from './support/poll.js';
import { type TestConfig, testConfig } from './support/test-env.js';

const SECRET = 'sk_live_do_not_keep_4242';
const nginxLine = (overrides: Record<string, unknown> = {}) => ({
  request_id: `ngx_${Math.random().toString(36).slice(2)}`,
  time: new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
  method: 'GET',
  uri: '/v1/users/usr_1',
  status: '200',
  request_time: '0.012',
  remote_addr: '203.0.113.9',
  ...overrides,
});
const ndjson = (lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');

/**
 * Ingest health per source, on the real api (two replicas of it, as a deployment runs them) with the real
 * Redis and Postgres: the `source` label, the admin view of the last rejected lines shared by the
 * replicas, and its bounds under a flood.
 */
describe('ingest health per source', () => {
  let config: TestConfig;
  let pipeline: Pipeline;
  let replica: NestFastifyApplication;
  let redis: Redis;
  const sourcesOn = async (app: NestFastifyApplication) =>
    (await http(app.getHttpServer()).get('/v1/admin/ingest/sources').expect(200)).body as { sources: SourceReport[] };
  const sourceOn = async (app: NestFastifyApplication, source: string) => (await sourcesOn(app)).sources.find((s) => s.source === source)!;
  const postNdjson = (format: string, body: string) =>
    http(pipeline.api.getHttpServer()).post(`/v1/logs?format=${format}`).set('Content-Type', 'application/x-ndjson').send(body);

  beforeAll(async () => {
    config = testConfig({ CLIENT_IP_MODE: 'truncate' });
    pipeline = await startPipeline(config, { worker: false });
    replica = await createApiApp(config, ['warn', 'error', 'fatal']);
    await replica.init();
    redis = new Redis(config.redis.url);
  }, 60_000);
  afterAll(async () => {
    await replica?.close();
    await pipeline?.close();
    redis?.disconnect();
  });

  it('labels received, accepted and rejected by source, from a fixed set the client cannot extend', async () => {
    await http(pipeline.api.getHttpServer())
      .post('/v1/logs')
      .send([...makeRecords(3), makeRecord({ status: 99 })])
      .expect(202);
    await postNdjson('nginx', ndjson([nginxLine(), nginxLine(), '{"not json', nginxLine({ status: 'abc' })])).expect(202);
    await http(pipeline.api.getHttpServer()).post('/v1/logs?format=my-own-source').send([nginxLine()]).expect(422);

    const metrics = (await anonymousHttp(pipeline.api.getHttpServer()).get('/metrics').expect(200)).text;
    expect(sampleSum(metrics, 'verilock_ingest_records_received_total', { source: 'record' })).toBe(4);
    expect(sampleSum(metrics, 'verilock_ingest_records_accepted_total', { source: 'record' })).toBe(3);
    expect(sampleSum(metrics, 'verilock_ingest_records_rejected_total', { source: 'record', reason: 'status' })).toBe(1);
    expect(sampleSum(metrics, 'verilock_ingest_records_received_total', { source: 'nginx' })).toBe(4);
    expect(sampleSum(metrics, 'verilock_ingest_records_accepted_total', { source: 'nginx' })).toBe(2);
    expect(sampleSum(metrics, 'verilock_ingest_records_rejected_total', { source: 'nginx', reason: 'malformed_json' })).toBe(1);
    expect(sampleSum(metrics, 'verilock_ingest_records_rejected_total', { source: 'nginx' })).toBe(2);
    // Every source has its series from the start (at 0), and none other exists.
    expect(labelValues(metrics, 'verilock_ingest_records_received_total', 'source')).toEqual([...INGEST_SOURCES].sort());
    expect(sampleSum(metrics, 'verilock_ingest_records_received_total', { source: 'envoy' })).toBe(0);
  });

  it('shows an admin, on any replica, each source with its counts, last-seen time and last rejected lines, redacted', async () => {
    const secretLine = nginxLine({ status: 'oops', authorization: `Bearer ${SECRET}`, request_body: `password=${SECRET}` });
    await postNdjson('nginx', ndjson([nginxLine(), secretLine])).expect(202);
    // The other replica flushes its counts within a second: poll, never assume.
    const nginx = await pollUntil(
      () => sourceOn(replica, 'nginx'),
      (s) => s.received === 6,
      15_000,
      'nginx counts on the other replica',
    );
    expect(nginx).toMatchObject({ received: 6, accepted: 3, rejected: 3 });
    expect(Date.parse(nginx.lastSeenAt!)).toBeGreaterThan(Date.now() - 60_000);
    const [newest, , malformed] = nginx.lastRejected;
    expect(newest.reason).toBe('status');
    expect(newest.details.status).toBeDefined();
    expect(newest.line).toContain('"status":"oops"');
    expect(newest.line).not.toContain(SECRET);
    // CLIENT_IP_MODE=truncate holds in the kept line as in the stored record.
    expect(newest.line).toContain('203.0.113.0');
    expect(newest.line).not.toContain('203.0.113.9');
    expect(malformed).toMatchObject({ reason: 'malformed_json', line: '{"not json', truncated: false });
    expect(await sourceOn(pipeline.api, 'record')).toMatchObject({ received: 4, accepted: 3, rejected: 1 });
    expect(await sourceOn(replica, 'envoy')).toEqual({
      source: 'envoy',
      lastSeenAt: null,
      received: 0,
      accepted: 0,
      rejected: 0,
      lastRejected: [],
    });
  });

  it('refuses a key without the admin scope (403) and no key (401)', async () => {
    const { key } = await pipeline.api.get(ApiKeyRepository).create('sources reader', ['logs:read', 'logs:write']);
    const refused = await anonymousHttp(pipeline.api.getHttpServer()).get('/v1/admin/ingest/sources').set('X-API-Key', key).expect(403);
    expect(refused.body.error).toBeDefined();
    await anonymousHttp(pipeline.api.getHttpServer()).get('/v1/admin/ingest/sources').expect(401);
  });

  it('keeps why a request was refused whole (a content type we do not read, NDJSON with no JSON line), counting no line', async () => {
    await http(pipeline.api.getHttpServer())
      .post('/v1/logs?format=kong')
      .set('Content-Type', 'text/plain')
      .send(`password=${SECRET} plain text`)
      .expect(415);
    await postNdjson('kong', 'not json\nnor this').expect(400);
    const kong = await pollUntil(
      () => sourceOn(replica, 'kong'),
      (s) => s.lastRejected.length === 2,
      15_000,
      "kong's refused requests on the other replica",
    );
    expect(kong).toMatchObject({ lastSeenAt: null, received: 0, accepted: 0, rejected: 0 });
    const [noJsonLine, unsupported] = kong.lastRejected;
    expect(noJsonLine.reason).toBe('bad_request');
    expect(noJsonLine.details.request[0]).toBe('No line of the NDJSON body is valid JSON.');
    expect(unsupported.reason).toBe('unsupported_media_type');
    expect(unsupported.line).toMatch(/^password=\S+ plain text$/);
    expect(unsupported.line).not.toContain(SECRET);
  });

  it('stays bounded under a flood of bad lines: 20 lines a source, 2 KiB each, the same few keys', async () => {
    // 10 requests of 300 bad lines of 8 KB (and one good line each): 24 MB of lines an admin never sees whole.
    const huge = 'x'.repeat(8_000);
    for (let request = 0; request < 10; request++) {
      const lines = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `${huge}${request}-${i}` : nginxLine({ status: huge })));
      await postNdjson('nginx', ndjson([...lines, nginxLine()])).expect(202);
    }
    const nginx = await pollUntil(
      () => sourceOn(replica, 'nginx'),
      (s) => s.received >= 6 + 10 * 301,
      30_000,
      'the flood counted',
    );
    expect(nginx).toMatchObject({ received: 6 + 10 * 301, accepted: 3 + 10, rejected: 3 + 10 * 300 });
    expect(nginx.lastRejected).toHaveLength(20);
    for (const entry of nginx.lastRejected) {
      expect(Buffer.byteLength(entry.line)).toBeLessThanOrEqual(2048);
      expect(entry.truncated).toBe(true);
    }
    // The newest lines are the ones kept: the last request's last bad line leads.
    expect(nginx.lastRejected[0].line).toContain('"status":"xxx');
    expect(nginx.lastRejected[1].line).toMatch(/^x+$/);
    const prefix = config.redis.keyPrefix;
    const keys = await redis.keys(`${prefix}:{ingest-sources}:*`);
    expect(keys.length).toBeLessThanOrEqual(2 + INGEST_SOURCES.length);
    expect(await redis.llen(`${prefix}:{ingest-sources}:rejected:nginx`)).toBe(20);
    // 20 entries of at most ~2.5 KiB of JSON: far under 100 KiB whatever was sent (here 24 MB of lines).
    expect(Number(await redis.memory('USAGE', `${prefix}:{ingest-sources}:rejected:nginx`))).toBeLessThan(100_000);
  }, 120_000);
});
