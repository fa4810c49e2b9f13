import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { InMemoryLogRecordExporter, LoggerProvider, type LogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AddressInfo } from 'node:net';
import { anonymousHttp, http, TEST_API_KEY } from './support/http.js';
import { sampleSum } from './support/metrics-text.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

type LogInput = Parameters<ReturnType<LoggerProvider['getLogger']>['emit']>[0];
interface ExportResult {
  code: number;
  error?: Error & { code?: number; data?: string };
}
const SUCCESS = 0;
const FAILED = 1;
/** Small enough for the exporter to cross it with a few hundred records: the 413 case. */
const MAX_BODY_BYTES = 64 * 1024;

const run = Date.now().toString(36);
const unique = (id: string) => `otlp_${id}_${run}`;
const minuteAgo = Date.now() - 60_000;

/** An access log as an instrumented server would emit it: HTTP semantic-convention attributes. */
function accessLog(id: string, attributes: LogInput['attributes'] = {}, extra: Partial<LogInput> = {}): LogInput {
  return {
    timestamp: minuteAgo,
    severityText: 'INFO',
    body: 'request served',
    attributes: {
      'http.request.method': 'GET',
      'url.path': '/v1/users/usr_1',
      'http.route': '/v1/users/:id',
      'http.response.status_code': 200,
      'http.request.header.x-request-id': [unique(id)],
      'http.server.request.duration': 0.0125,
      ...attributes,
    },
    ...extra,
  };
}

/** The SDK's own log records (LoggerProvider → processor), exported by the real OTLP exporter under test. */
async function send(exporter: LogRecordExporter, logs: LogInput[]): Promise<ExportResult> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('verilock-otlp-test');
  for (const log of logs) logger.emit(log);
  await provider.forceFlush();
  return new Promise((resolve) => exporter.export(memory.getFinishedLogRecords(), resolve));
}

/** The exporters report a partial success through diag.warn: what they logged, captured. */
function captureWarnings(): string[] {
  const warnings: string[] = [];
  const capture = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  const logger: DiagLogger = { error: capture, warn: capture, info: () => undefined, debug: () => undefined, verbose: () => undefined };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return warnings;
}

describe('POST /otlp/v1/logs with the OpenTelemetry JS log exporters (protobuf and JSON) as the client', () => {
  let pipeline: Pipeline;
  let url: string;
  const warnings = captureWarnings();
  const exporters: LogRecordExporter[] = [];
  const exporter = (kind: 'protobuf' | 'json', compression: 'gzip' | 'none' = 'none') => {
    const options = { url, headers: { 'X-API-Key': TEST_API_KEY }, compression, timeoutMillis: 10_000 };
    // The option's type is an enum of these two strings.
    const made = kind === 'protobuf' ? new ProtobufLogExporter(options as never) : new JsonLogExporter(options as never);
    exporters.push(made);
    return made;
  };
  const lookUp = async (id: string) =>
    (
      await http(pipeline.api.getHttpServer())
        .get(`/v1/requests/${unique(id)}`)
        .expect(200)
    ).body;

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES) }));
    await pipeline.api.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(pipeline.api.getHttpServer().address() as AddressInfo).port}/otlp/v1/logs`;
  });
  afterAll(async () => {
    await Promise.all(exporters.map((made) => made.shutdown()));
    diag.disable();
    await pipeline.close();
  });

  it('stores protobuf-exported access logs with their semantic-convention attributes mapped to the record', async () => {
    const conflict = JSON.stringify({ error: 'conflict', message: 'The session was already declined.', details: { state: 'declined' } });
    const result = await send(exporter('protobuf'), [
      accessLog('pb0'),
      accessLog(
        'pb1',
        {
          'http.request.method': 'POST',
          'url.path': '/v1/sessions/ses_9/approve',
          'http.route': '/v1/sessions/:id/approve',
          'http.response.status_code': 409,
          'http.server.request.duration': 0.2,
          'http.response.header.x-api-key-id': ['key_live_7'],
          'client.address': '203.0.113.9',
          'user_agent.original': 'verilock-node/3.1',
        },
        { body: conflict },
      ),
      accessLog('pb2', {
        'http.response.status_code': 429,
        'http.response.header.retry-after': ['30'],
        'verilock.error.code': 'rate_limit_exceeded',
      }),
    ]);
    expect(result).toEqual({ code: SUCCESS });
    await waitUntilStored(pipeline.db, [unique('pb0'), unique('pb1'), unique('pb2')]);

    expect(await lookUp('pb0')).toMatchObject({
      timestamp: new Date(minuteAgo).toISOString(),
      method: 'GET',
      path: '/v1/users/usr_1',
      route: '/v1/users/:id',
      status: 200,
      durationMs: 12.5,
      error: null,
    });
    expect(await lookUp('pb1')).toMatchObject({
      method: 'POST',
      route: '/v1/sessions/:id/approve',
      status: 409,
      durationMs: 200,
      error: 'conflict',
      message: 'The session was already declined.',
      details: { state: 'declined' },
      apiKeyId: 'key_live_7',
    });
    expect(await lookUp('pb2')).toMatchObject({ status: 429, error: 'rate_limit_exceeded', retryAfter: 30 });
  });

  it('stores JSON-exported, gzip-compressed access logs, older attribute names included', async () => {
    const result = await send(exporter('json', 'gzip'), [
      accessLog('js0', { 'http.response.status_code': 503, 'http.response.header.retry-after': ['5'] }),
      {
        timestamp: minuteAgo,
        body: 'legacy instrumentation',
        attributes: {
          'http.method': 'DELETE',
          'url.full': 'https://api.verilock.example/v1/webhooks/wh_3?force=1',
          'http.status_code': 204,
          'http.response.header.x-request-id': [unique('js1')],
          'verilock.duration_ms': 7,
        },
      },
    ]);
    expect(result).toEqual({ code: SUCCESS });
    await waitUntilStored(pipeline.db, [unique('js0'), unique('js1')]);
    expect(await lookUp('js0')).toMatchObject({ status: 503, retryAfter: 5, durationMs: 12.5 });
    expect(await lookUp('js1')).toMatchObject({ method: 'DELETE', path: '/v1/webhooks/wh_3', status: 204, durationMs: 7 });
  });

  it.each(['protobuf', 'json'] as const)(
    'answers a %s export with invalid records by partial success: rejected count and why, the rest stored',
    async (kind) => {
      warnings.length = 0;
      const result = await send(exporter(kind), [
        accessLog(`${kind}_ok`),
        accessLog(`${kind}_noid`, { 'http.request.header.x-request-id': [] }),
        accessLog(`${kind}_bad`, { 'http.response.status_code': 'teapot' }),
      ]);
      expect(result).toEqual({ code: SUCCESS });
      const reported = warnings.find((line) => line.includes('Partial Success'));
      expect(reported).toMatch(/"rejectedLogRecords":"?2"?/);
      expect(reported).toContain('2 of 3 log records rejected');
      expect(reported).toContain('#1: requestId is required');
      expect(reported).toContain('#2: status must be a whole number (from \\"http.response.status_code\\")');
      await waitUntilStored(pipeline.db, [unique(`${kind}_ok`)]);
    },
  );

  it('413s an export over INGEST_MAX_BODY_BYTES, as the exporter reports it', async () => {
    const many = Array.from({ length: 600 }, (_, i) => accessLog(`big${i}`, { 'user_agent.original': 'x'.repeat(200) }));
    const result = await send(exporter('protobuf'), many);
    expect(result.code).toBe(FAILED);
    expect(result.error?.code).toBe(413);
    expect(JSON.parse(result.error?.data ?? '{}')).toMatchObject({ error: 'payload_too_large', details: { max_bytes: MAX_BODY_BYTES } });
  });

  it('counts OTLP records under source="otlp"', async () => {
    const metrics = (await anonymousHttp(pipeline.api.getHttpServer()).get('/metrics').expect(200)).text;
    expect(sampleSum(metrics, 'verilock_ingest_records_accepted_total', { source: 'otlp' })).toBeGreaterThanOrEqual(7);
  });
});
