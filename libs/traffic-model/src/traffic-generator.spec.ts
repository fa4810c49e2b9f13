import { statusMeaning, validateRecord } from '#libs/access-log';
import { TrafficGenerator } from './traffic-generator.js';

const limits = { maxFutureSkewSeconds: 86_400, maxAgeDays: 90 };
const TEN_MINUTES = 600_000;

describe('TrafficGenerator', () => {
  // A fixed clock: bursts start on second boundaries, so the same seed and start give the same traffic.
  const now = new Date('2026-11-25T12:10:00.000Z');
  const start = new Date(now.getTime() - TEN_MINUTES);
  // 20k records over ten simulated minutes (~33 records/s), with bursts frequent enough to appear.
  const records = new TrafficGenerator({ seed: 7, rateLimitBurstChance: 1 / 60, outageBurstChance: 1 / 120 }).batch(
    20_000,
    start,
    TEN_MINUTES,
  );
  const share = (predicate: (s: number) => boolean) => records.filter((r) => predicate(r.status)).length / records.length;

  it('produces only records the ingest API accepts, with the route it would derive', () => {
    for (const record of records) {
      const result = validateRecord(record, limits, now);
      if (!result.ok) throw new Error(`invalid record ${JSON.stringify(record)}: ${JSON.stringify(result.details)}`);
      expect(result.record.route).toBe(record.route);
    }
    expect(new Set(records.map((r) => r.requestId)).size).toBe(records.length);
  });

  it('is mostly 2xx, with realistic 4xx and a few 5xx, all documented codes', () => {
    expect(share((s) => s < 300)).toBeGreaterThan(0.7);
    expect(share((s) => s >= 400 && s < 500)).toBeGreaterThan(0.05);
    expect(share((s) => s >= 500)).toBeGreaterThan(0);
    expect(share((s) => s >= 500)).toBeLessThan(0.1);
    for (const status of new Set(records.map((r) => r.status))) expect(statusMeaning(status).documented).toBe(true);
    const statuses = new Set(records.map((r) => r.status));
    for (const expected of [200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 503]) expect(statuses).toContain(expected);
  });

  it('gives every error the conventions body, and 429/503 a Retry-After', () => {
    const codes: Record<number, string> = {
      400: 'bad_request',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'not_found',
      409: 'conflict',
      422: 'validation_error',
      429: 'rate_limit_exceeded',
      500: 'internal_error',
      503: 'service_unavailable',
    };
    for (const r of records.filter((r) => r.status >= 400)) {
      expect(r.error).toBe(codes[r.status]);
      expect(r.message).toEqual(expect.any(String));
    }
    for (const r of records.filter((r) => r.status === 429 || r.status === 503)) expect(r.retryAfter).toBeGreaterThan(0);
    expect(records.find((r) => r.status === 429)?.details).toEqual({ retry_after: 30 });
  });

  it('sends 429s in bursts from one key at a time, and 503s in bursts', () => {
    const secondsWith = (status: number) => new Set(records.filter((r) => r.status === status).map((r) => r.timestamp.slice(0, 19)));
    // Bursts, not noise: the 429s fall in a minority of the seconds, many per second.
    expect(secondsWith(429).size).toBeLessThan(300);
    expect(records.filter((r) => r.status === 429).length / secondsWith(429).size).toBeGreaterThan(5);
    expect(secondsWith(503).size).toBeGreaterThan(0);
    const keysPerSecond = new Map<string, Set<string | null>>();
    for (const r of records.filter((r) => r.status === 429)) {
      const second = r.timestamp.slice(0, 19);
      keysPerSecond.set(second, (keysPerSecond.get(second) ?? new Set()).add(r.apiKeyId));
    }
    expect([...keysPerSecond.values()].every((keys) => keys.size === 1)).toBe(true);
  });

  it('is repeatable for a seed', () => {
    const a = new TrafficGenerator({ seed: 42 }).batch(50, start, 1000);
    const b = new TrafficGenerator({ seed: 42 }).batch(50, start, 1000);
    expect(a).toEqual(b);
  });
});
