import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { AccessLogRecord, validateRecord } from '#libs/access-log';
import { Redactor } from '#libs/redaction';
import { http } from './support/http.js';
import { rawPost } from './support/raw-post.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const RUN = `fuzz_${randomUUID().slice(0, 8)}`;
let serial = 0;
const DAY = 86_400_000;

/** Any text, now and then with a lone surrogate or a NUL (which Postgres cannot store as sent). */
const text = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      { weight: 300, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udc00', '\u0000') },
    ),
    maxLength,
  });

/** Fields that are valid most of the time and anything at all otherwise. */
const junk = fc.oneof(text(50), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue());
const sometimes = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: junk });
const optional = <T>(valid: fc.Arbitrary<T>) => fc.option(sometimes(valid), { nil: undefined });

/** An object nested `depth` levels deep. */
function nestedObject(depth: number): object {
  let value: object = { leaf: true };
  for (let i = 1; i < depth; i++) value = i % 2 ? { n: value } : [value];
  return value;
}

const recordArb = fc.record(
  {
    // Valid ids are unique to this run; invalid ones can never pass the id pattern (a space).
    requestId: fc.oneof(
      { weight: 5, arbitrary: fc.constant(null).map(() => `${RUN}_${serial++}`) },
      { weight: 1, arbitrary: fc.string().map((s) => `${s} `) },
    ),
    timestamp: sometimes(fc.integer({ min: 0, max: 80 * DAY }).map((ago) => new Date(Date.now() - ago).toISOString())),
    method: sometimes(fc.constantFrom('GET', 'post', 'DELETE', 'PATCH')),
    path: sometimes(text(80).map((s) => `/v1/${s}`)),
    route: optional(fc.constantFrom('/v1/sessions/:id', '/v1/keys')),
    status: sometimes(fc.integer({ min: 100, max: 599 })),
    // now and then past what the rollups' float8 sums may take (1e308 once overflowed one)
    durationMs: sometimes(
      fc.oneof(
        { weight: 8, arbitrary: fc.double({ min: 0, max: 1e7, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(5e-324, 86_400_000, 86_400_001, 1e308) },
      ),
    ),
    error: optional(text(40)),
    message: optional(text(200)),
    // now and then nested past the 32-level limit (3000 levels once overflowed redaction's stack)
    details: optional(
      fc.oneof(
        { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
        { weight: 1, arbitrary: fc.integer({ min: 30, max: 3000 }).map(nestedObject) },
      ),
    ),
    retryAfter: optional(fc.integer({ min: 0, max: 86_400 })),
    apiKeyId: optional(text(30)),
    clientIp: optional(fc.ipV4()),
    userAgent: optional(text(60)),
  },
  { requiredKeys: ['requestId'] },
);

describe('fuzzing POST /v1/logs (fast-check)', () => {
  const config = testConfig();
  const redactor = new Redactor(config.redaction);
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(config);
  });
  afterAll(() => pipeline.close());

  it('never answers 500; accepts exactly the valid records and stores each exactly as normalised, the rejected ones never', async () => {
    const expected = new Map<string, AccessLogRecord>();
    const rejectedIds: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 12 }), async (records) => {
        // What the server receives is the JSON text: undefined fields vanish, -0 becomes 0.
        const sent = JSON.parse(JSON.stringify(records)) as Record<string, unknown>[];
        const res = await http(pipeline.api.getHttpServer()).post('/v1/logs').send(sent);
        const verdicts = sent.map((r) => validateRecord(r, config.producer.limits));
        const valid = verdicts.filter((v) => v.ok).length;
        expect(res.status).toBe(valid > 0 ? 202 : 422);
        if (res.status === 202) {
          expect(res.body.accepted).toBe(valid);
          expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual(verdicts.flatMap((v, i) => (v.ok ? [] : [i])));
        }
        verdicts.forEach((v, i) => {
          if (v.ok) expected.set(v.record.requestId, redactor.redact(v.record));
          else if (typeof sent[i].requestId === 'string' && sent[i].requestId.startsWith(RUN)) rejectedIds.push(sent[i].requestId);
        });
      }),
      { numRuns: 80 },
    );

    await waitUntilStored(pipeline.db, [...expected.keys()], 30_000);
    const { rows } = await pipeline.db.query(
      `SELECT request_id, sent_at, method, path, route, status, duration_ms, error_code, message, details, retry_after,
              api_key_id, client_ip, user_agent FROM request_logs WHERE request_id = ANY($1)`,
      [[...expected.keys(), ...rejectedIds]],
    );
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const want = expected.get(row.request_id)!;
      expect(row).toEqual({
        request_id: want.requestId,
        sent_at: new Date(want.timestamp),
        method: want.method,
        path: want.path,
        route: want.route,
        status: want.status,
        duration_ms: want.durationMs,
        error_code: want.error,
        message: want.message,
        details: want.details,
        retry_after: want.retryAfter,
        api_key_id: want.apiKeyId,
        client_ip: want.clientIp,
        user_agent: want.userAgent,
      });
    }
    console.log(`[fuzz] ${expected.size} accepted records stored exactly, ${rejectedIds.length} rejected ones absent`);
  }, 60_000);

  it('answers any body with a documented 4xx or 202, never a 500', async () => {
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.string({ unit: 'binary' }),
    );
    const contentTypes = fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain', 'application/json; charset=utf-8');
    const encodings = fc.constantFrom(undefined, 'gzip', 'br', 'identity', 'compress');
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, encodings, async (body, contentType, encoding) => {
        const headers: Record<string, string> = { 'content-type': contentType };
        if (encoding) headers['content-encoding'] = encoding;
        const res = await rawPost(pipeline.api.getHttpServer(), '/v1/logs', body, headers);
        expect([202, 400, 413, 415, 422]).toContain(res.status);
        if (res.status !== 202)
          expect(res.body).toEqual({ error: expect.any(String), message: expect.any(String), details: expect.anything() });
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
