import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { validateRecord } from '#libs/access-log';
import { LogWriterProcessor } from '#libs/log-writer';
import type { IngestJobData } from '#libs/queue';
import { makeRecord } from './support/factories.js';
import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { minutesAfter, plant, quietPastWindow, uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

/** Every status the minute with many statuses holds (ascending order differs from the order sent). */
const MANY_STATUSES = [599, 100, 204, 301, 418, 451, 500, 200, 201, 404, 429, 503, 302, 400, 401, 403, 409, 422, 502, 504];

/**
 * request_totals_minute (one row per minute, every status's count) answers unfiltered error rates and
 * spike detection. It must give byte for byte the answers the (minute, status) rollups gave: here
 * every record of a quiet window has one route, so the same query filtered by that route (answered by
 * the route rollup, the path that aggregates cells per bucket) is the old path's answer on the same data.
 */
describe('per-minute totals (request_totals_minute)', () => {
  let pipeline: Pipeline;
  let t0: Date;
  const tag = uniqueTag();
  const route = `/v1/totals-${tag}`;
  const apiKeyId = `key_totals_${tag}`;

  const record = (minute: number, status: number, second = 0) =>
    makeRecord({ timestamp: new Date(t0.getTime() + minute * 60_000 + second * 1000).toISOString(), status, path: route, apiKeyId });

  function jobOf(batch: Record<string, unknown>[]): Job<IngestJobData> {
    const records = batch.map((r) => {
      const result = validateRecord(r, { maxFutureSkewSeconds: 60, maxAgeDays: 90 });
      if (!result.ok) throw new Error('factory record invalid');
      return result.record;
    });
    return { id: randomUUID(), data: { records, receivedAt: new Date().toISOString(), source: 'http' } } as Job<IngestJobData>;
  }

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    t0 = new Date(Math.floor((await quietPastWindow(pipeline.db, 40, 65)).getTime() / 300_000) * 300_000);
    // Minutes 0–9 and 20–29 carry traffic, 10–19 none; minute 3 holds twenty statuses; minute 28 a 429 burst.
    const steady = Array.from({ length: 600 }, (_, i) =>
      record((i % 10) + (i % 20 < 10 ? 0 : 20), [200, 201, 404, 429, 503][i % 5], i % 60),
    );
    const many = MANY_STATUSES.flatMap((status, i) => Array.from({ length: i + 1 }, (_, j) => record(3, status, j)));
    const burst = Array.from({ length: 60 }, (_, i) => record(28, 429, i));
    await plant(pipeline, [...steady, ...many, ...burst]);
    // The same records posted again (stored already: the batch's COPY conflicts, the slow path adds nothing).
    await plant(pipeline, steady.slice(0, 200));
    // A retried batch: half of it stored before, half new, processed twice (a redelivery).
    const processor = pipeline.worker!.get(LogWriterProcessor);
    const retried = jobOf([...steady.slice(300, 340), ...Array.from({ length: 40 }, (_, i) => record(25 + (i % 3), 500 + (i % 4), i))]);
    expect(await processor.process(retried)).toMatchObject({ inserted: 40, duplicates: 40 });
    expect(await processor.process(retried)).toMatchObject({ inserted: 0, duplicates: 80 });
  }, 90_000);
  afterAll(() => pipeline.close());

  const rates = (query: Record<string, string>) => http(pipeline.api.getHttpServer()).get('/v1/error-rates').query(query);

  it('holds per minute exactly what the status rollup holds, with byStatus in status order', async () => {
    const { rows } = await pipeline.db.query<{ bucket: Date; same: boolean; by_status: string }>(
      `WITH old AS (
         SELECT bucket, sum(count) AS total, coalesce(sum(count) FILTER (WHERE status / 100 = 4), 0) AS s4,
                coalesce(sum(count) FILTER (WHERE status / 100 = 5), 0) AS s5,
                '{' || string_agg('"' || status || '":' || count, ',' ORDER BY status) || '}' AS by_status
         FROM request_status_rollups_minute WHERE bucket >= $1 AND bucket < $2 GROUP BY bucket)
       SELECT bucket, t.by_status,
              (old.total, old.s4, old.s5, old.by_status) IS NOT DISTINCT FROM (t.count, t.status_4xx, t.status_5xx, t.by_status) AS same
       FROM old FULL JOIN (SELECT * FROM request_totals_minute WHERE bucket >= $1 AND bucket < $2) t USING (bucket) ORDER BY bucket`,
      [t0, minutesAfter(t0, 40)],
    );
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => !r.same)).toEqual([]);
    const manyMinute = rows.find((r) => r.bucket.getTime() === minutesAfter(t0, 3).getTime())!;
    expect(Object.keys(JSON.parse(manyMinute.by_status)).map(Number)).toEqual(expect.arrayContaining(MANY_STATUSES));
    expect(manyMinute.by_status).toBe(JSON.stringify(JSON.parse(manyMinute.by_status)));
  });

  it('answers error rates byte for byte as the cell-aggregating path does, empty buckets included', async () => {
    const range = { from: t0.toISOString(), to: minutesAfter(t0, 40).toISOString() };
    for (const query of [
      { ...range, interval: '1m' },
      { ...range, interval: '5m' },
      { ...range, interval: '1m', statusClass: '4xx,5xx' },
      { ...range, interval: '1h', status: '429,503' },
    ]) {
      const fromTotals = await rates(query).expect(200);
      const fromRouteRollup = await rates({ ...query, route }).expect(200);
      expect(fromTotals.text).toBe(fromRouteRollup.text);
    }
    const perMinute = (await rates({ ...range, interval: '1m' }).expect(200)).body.series[0];
    expect(perMinute.buckets.slice(10, 20).every((b: { total: number }) => b.total === 0)).toBe(true);
    expect(perMinute.total).toBe(600 + (MANY_STATUSES.length * (MANY_STATUSES.length + 1)) / 2 + 60 + 40);
  });

  it('feeds spike detection the same minute counts', async () => {
    const spikes = (query: Record<string, string>) => http(pipeline.api.getHttpServer()).get('/v1/spikes').query(query);
    const range = { from: minutesAfter(t0, 2).toISOString(), to: minutesAfter(t0, 40).toISOString(), status: '429,503' };
    const fromTotals = await spikes(range).expect(200);
    // Traffic resuming after the empty minutes and the 429 burst: spikes to describe, not an empty answer.
    expect(fromTotals.body.spikes.map((s: { status: number }) => s.status)).toEqual(expect.arrayContaining([429, 503]));
    expect(fromTotals.text).toBe((await spikes({ ...range, route }).expect(200)).text);
  });
});
