import { makeRecord } from './support/factories.js';
import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { minutesAfter, plant, quietPastWindow, uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

interface Sent {
  requestId: string;
  at: number;
  status: number;
  retryAfter?: number;
  apiKeyId: string;
}

/**
 * The early retries of a spike against the rule written plainly: per key, its requests in the spike's
 * window in (sent_at, request_id) order, each compared with the one before. Six keys send 429s, 503s
 * and 200s at whole seconds and a few fixed milliseconds, so many requests share a timestamp (the
 * request id decides their order), many land exactly on their predecessor's Retry-After (not early),
 * and a 503 without Retry-After counts 1 s.
 */
describe('GET /v1/spikes early retries', () => {
  let pipeline: Pipeline;
  let t0: Date;
  const tag = uniqueTag();
  const sent: Sent[] = [];

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    t0 = await quietPastWindow(pipeline.db, 120);
    let seed = 2026;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    for (let i = 0; i < 480; i++) {
      const status = [503, 503, 429, 200][random(4)];
      const retryAfter = [undefined, 1, 2, 5][random(4)];
      const at = minutesAfter(t0, 90).getTime() + random(180) * 1000 + [0, 0, 500, 999][random(4)];
      sent.push({
        requestId: `req_${tag}_${String(random(1e6)).padStart(6, '0')}_${i}`,
        at,
        status,
        retryAfter,
        apiKeyId: `key_${tag}_${random(6)}`,
      });
    }
    const records = sent.map((s) =>
      makeRecord({
        requestId: s.requestId,
        timestamp: new Date(s.at).toISOString(),
        status: s.status,
        apiKeyId: s.apiKeyId,
        ...(s.retryAfter === undefined ? {} : { retryAfter: s.retryAfter }),
        ...(s.status === 429 ? { error: 'rate_limit_exceeded' } : {}),
      }),
    );
    await plant(pipeline, records);
  }, 120_000);
  afterAll(() => pipeline.close());

  it('counts, per top key, exactly the requests sent before the previous rejection allowed', async () => {
    const res = await http(pipeline.api.getHttpServer())
      .get('/v1/spikes')
      .query({ from: minutesAfter(t0, 60).toISOString(), to: minutesAfter(t0, 120).toISOString() })
      .expect(200);
    expect(res.body.spikes.map((s: { status: number }) => s.status)).toEqual([429, 503]);
    for (const spike of res.body.spikes as { status: number; start: string; end: string; earlyRetries: unknown[] }[]) {
      const [from, to] = [Date.parse(spike.start), Date.parse(spike.end)];
      expect(spike.earlyRetries).toEqual(expectedEarlyRetries(sent, spike.status, from, to));
      expect(spike.earlyRetries.length).toBeGreaterThan(2);
    }
  });
});

function expectedEarlyRetries(sent: Sent[], status: number, from: number, to: number) {
  const inWindow = sent
    .filter((s) => s.at >= from && s.at < to)
    .sort((a, b) => a.at - b.at || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
  const keys = [...new Set(inWindow.filter((s) => s.status === status).map((s) => s.apiKeyId))];
  return keys
    .map((apiKeyId) => {
      const rows = inWindow.filter((s) => s.apiKeyId === apiKeyId);
      const early = rows.filter((row, i) => {
        const previous = rows[i - 1];
        return previous?.status === status && row.at < previous.at + (previous.retryAfter ?? 1) * 1000;
      });
      return { apiKeyId, requests: rows.length, rejected: rows.filter((s) => s.status === status).length, earlyRetries: early.length };
    })
    .filter((r) => r.earlyRetries > 0)
    .sort((a, b) => b.earlyRetries - a.earlyRetries || a.apiKeyId.localeCompare(b.apiKeyId));
}
