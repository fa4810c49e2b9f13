import { makeRecord } from './support/factories.js';
import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { minutesAfter, plant, quietPastWindow, uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

/**
 * Three hours of noisy steady traffic (200s, 429s at ~20/min from five keys, a few 503s), with a
 * 429 burst from one key at minute 100-102 and a 503 burst on one route at minute 140-141.
 */
describe('GET /v1/spikes', () => {
  let pipeline: Pipeline;
  let t0: Date;
  const tag = uniqueTag();
  const steadyKeys = Array.from({ length: 5 }, (_, i) => `key_steady_${tag}_${i}`);
  const burstKey = `key_burst_${tag}`;
  const hammerKey = `key_hammer_${tag}`;
  const politeKey = `key_polite_${tag}`;
  const outageRoute = `/v1/outage-${tag}`;
  let seed = 42;
  const noise = (level: number, spread: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.max(0, Math.round(level + ((seed / 2 ** 31) * 2 - 1) * spread));
  };
  const at = (minute: number, ms: number) => minutesAfter(t0, minute).getTime() + ms;
  const record = (time: number, overrides: Record<string, unknown>) =>
    makeRecord({ timestamp: new Date(time).toISOString(), ...overrides });

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    t0 = await quietPastWindow(pipeline.db, 180);
    const records: Record<string, unknown>[] = [];
    for (let minute = 0; minute < 180; minute++) {
      for (let i = noise(8, 4); i > 0; i--) records.push(record(at(minute, i * 997), { status: 200, apiKeyId: steadyKeys[i % 5] }));
      for (let i = noise(20, 10); i > 0; i--) {
        records.push(
          record(at(minute, i * 1499), { status: 429, error: 'rate_limit_exceeded', retryAfter: 30, apiKeyId: steadyKeys[i % 5] }),
        );
      }
      for (let i = noise(2, 2); i > 0; i--)
        records.push(record(at(minute, i * 7001), { status: 503, retryAfter: 10, apiKeyId: steadyKeys[i % 5] }));
    }
    // The burst key retries every 400 ms although told to wait 30 s.
    for (let ms = 0; ms < 3 * 60_000; ms += 400) {
      records.push(record(at(100, ms), { status: 429, error: 'rate_limit_exceeded', retryAfter: 30, apiKeyId: burstKey }));
    }
    // During the outage one key retries every 500 ms although told to wait 10 s; another waits 15 s.
    for (let ms = 0; ms < 2 * 60_000; ms += 500) {
      records.push(record(at(140, ms), { status: 503, retryAfter: 10, path: outageRoute, apiKeyId: hammerKey }));
      if (ms % 15_000 === 0) records.push(record(at(140, ms + 1), { status: 503, retryAfter: 10, path: outageRoute, apiKeyId: politeKey }));
    }
    await plant(pipeline, records);
  }, 120_000);
  afterAll(() => pipeline.close());

  const spikes = (from: Date, to: Date, extra: Record<string, string> = {}) =>
    http(pipeline.api.getHttpServer())
      .get('/v1/spikes')
      .query({ from: from.toISOString(), to: to.toISOString(), ...extra });

  it('finds the 429 burst and the 503 outage with exact start and end and the right contributors', async () => {
    const res = await spikes(minutesAfter(t0, 60), minutesAfter(t0, 180)).expect(200);
    expect(res.body).toMatchObject({ interval: '1m', statuses: [429, 503] });
    expect(res.body.spikes.map((s: { status: number }) => s.status)).toEqual([429, 503]);
    const [rateLimit, outage] = res.body.spikes;

    expect(rateLimit).toMatchObject({ start: minutesAfter(t0, 100).toISOString(), end: minutesAfter(t0, 103).toISOString() });
    expect(rateLimit.topApiKeys[0]).toEqual({ apiKeyId: burstKey, count: 450 });
    expect(rateLimit.peakRate).toBeGreaterThanOrEqual(150);
    expect(rateLimit.baselineRate).toBeGreaterThanOrEqual(10);
    expect(rateLimit.baselineRate).toBeLessThanOrEqual(30);
    expect(rateLimit.factor).toBeGreaterThan(5);
    expect(rateLimit.count).toBeGreaterThanOrEqual(450);
    expect(rateLimit.sampleRequestIds).toHaveLength(5);
    // 450 requests, each but the first sent 400 ms after a 429 that asked for 30 s.
    expect(rateLimit.earlyRetries[0]).toEqual({ apiKeyId: burstKey, requests: 450, rejected: 450, earlyRetries: 449 });

    expect(outage).toMatchObject({ start: minutesAfter(t0, 140).toISOString(), end: minutesAfter(t0, 142).toISOString() });
    expect(outage.topRoutes[0]).toEqual({ route: outageRoute, count: 248 });
    expect(outage.topApiKeys.slice(0, 2)).toEqual([
      { apiKeyId: hammerKey, count: 240 },
      { apiKeyId: politeKey, count: 8 },
    ]);
    expect(outage.count).toBeGreaterThanOrEqual(248);
    // The hammering key leads; the key that respected Retry-After is not named at all.
    expect(outage.earlyRetries[0]).toEqual({ apiKeyId: hammerKey, requests: 240, rejected: 240, earlyRetries: 239 });
    expect(outage.earlyRetries.map((r: { apiKeyId: string }) => r.apiKeyId)).not.toContain(politeKey);
  });

  it('finds nothing in the noisy steady traffic alone', async () => {
    const res = await spikes(minutesAfter(t0, 60), minutesAfter(t0, 100)).expect(200);
    expect(res.body.spikes).toEqual([]);
    const after = await spikes(minutesAfter(t0, 145), minutesAfter(t0, 180)).expect(200);
    expect(after.body.spikes).toEqual([]);
  });

  it('narrows to one route or one API key, and to chosen statuses', async () => {
    const byRoute = await spikes(minutesAfter(t0, 60), minutesAfter(t0, 180), { route: outageRoute }).expect(200);
    expect(byRoute.body.spikes).toMatchObject([{ status: 503, start: minutesAfter(t0, 140).toISOString(), count: 248 }]);
    const byKey = await spikes(minutesAfter(t0, 60), minutesAfter(t0, 180), { apiKeyId: burstKey, status: '429' }).expect(200);
    expect(byKey.body).toMatchObject({ statuses: [429], spikes: [{ status: 429, count: 450, baselineRate: 0 }] });
  });

  it('answers 422 with per-field details for bad parameters and over-long ranges', async () => {
    const server = pipeline.api.getHttpServer();
    const bad = await http(server).get('/v1/spikes').query({ from: 'yesterday', status: '42,abc', colour: 'red' }).expect(422);
    expect(bad.body).toMatchObject({
      error: 'validation_error',
      details: { from: expect.any(Array), status: expect.any(Array), colour: expect.any(Array) },
    });
    const long = await spikes(t0, minutesAfter(t0, 8 * 24 * 60)).expect(422);
    expect(Object.keys(long.body.details)).toEqual(['to']);
    const reversed = await spikes(minutesAfter(t0, 10), t0).expect(422);
    expect(Object.keys(reversed.body.details)).toEqual(['from']);
  });
});
