import { makeRecord } from './support/factories.js';
import { http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { minutesAfter, plant, randomPastMinute, uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

interface Item {
  requestId: string;
  timestamp: string;
  status: number;
}

describe('GET /v1/requests', () => {
  let pipeline: Pipeline;
  const t0 = randomPastMinute();
  const apiKeyId = `key_search_${uniqueTag()}`;
  const statuses = [200, 201, 404, 422, 429, 500, 503];
  // 150 records on 15 distinct instants: ten rows share every sent_at, so pages must split ties.
  const records = Array.from({ length: 150 }, (_, i) =>
    makeRecord({ apiKeyId, status: statuses[i % statuses.length], timestamp: new Date(t0.getTime() + (i % 15) * 1000).toISOString() }),
  );
  const range = { from: t0.toISOString(), to: minutesAfter(t0, 1).toISOString() };

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    await plant(pipeline, records);
  }, 60_000);
  afterAll(() => pipeline.close());

  async function allPages(query: Record<string, string | number>): Promise<Item[][]> {
    const pages: Item[][] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Item[]; nextCursor: string | null } } = await http(pipeline.api.getHttpServer())
        .get('/v1/requests')
        .query({ ...query, ...(cursor ? { cursor } : {}) })
        .expect(200);
      pages.push(res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 100);
    return pages;
  }

  it('pages through every row exactly once, newest first, ties split across pages', async () => {
    const pages = await allPages({ ...range, apiKeyId, limit: 7 });
    const items = pages.flat();
    expect(pages).toHaveLength(Math.ceil(150 / 7));
    expect(items).toHaveLength(150);
    expect(new Set(items.map((i) => i.requestId)).size).toBe(150);
    expect(new Set(items.map((i) => i.requestId))).toEqual(new Set(records.map((r) => r.requestId)));
    // Order: sent_at descending, then request id descending (the keyset).
    const { rows } = await pipeline.db.query<{ request_id: string }>(
      'SELECT request_id FROM request_logs WHERE api_key_id = $1 ORDER BY sent_at DESC, request_id DESC',
      [apiKeyId],
    );
    expect(items.map((i) => i.requestId)).toEqual(rows.map((r) => r.request_id));
  });

  it('filters by status list and status class, with the full record shape', async () => {
    const errors = (await allPages({ ...range, apiKeyId, status: '429,503', limit: 500 })).flat();
    expect(errors).toHaveLength(records.filter((r) => r.status === 429 || r.status === 503).length);
    expect(errors[0]).toMatchObject({
      apiKeyId,
      route: '/v1/sessions/:id',
      method: 'POST',
      statusClass: expect.stringMatching(/^[45]xx$/),
    });
    const serverErrors = (await allPages({ ...range, apiKeyId, statusClass: '5xx' })).flat();
    expect(serverErrors.map((i) => i.status).sort()).toEqual(
      records
        .filter((r) => (r.status as number) >= 500)
        .map((r) => r.status)
        .sort(),
    );
    const repeated = await http(pipeline.api.getHttpServer())
      .get(`/v1/requests?from=${range.from}&to=${range.to}&apiKeyId=${apiKeyId}&status=500&status=503`)
      .expect(200);
    expect(repeated.body.items.every((i: Item) => i.status === 500 || i.status === 503)).toBe(true);
    expect(repeated.body.items.length).toBeGreaterThan(0);
  });

  it('answers an empty page with no cursor outside the data', async () => {
    const res = await http(pipeline.api.getHttpServer())
      .get('/v1/requests')
      .query({ apiKeyId, from: minutesAfter(t0, 5).toISOString(), to: minutesAfter(t0, 6).toISOString() })
      .expect(200);
    expect(res.body).toMatchObject({ items: [], nextCursor: null });
  });

  it('answers 422 with per-field details for every bad parameter at once', async () => {
    const res = await http(pipeline.api.getHttpServer())
      .get('/v1/requests')
      .query({ from: '2026-13-45', limit: 0, status: '99', statusClass: '7xx', cursor: '%%%', method: 'G E T', sort: 'asc' })
      .expect(422);
    expect(res.body.error).toBe('validation_error');
    expect(Object.keys(res.body.details).sort()).toEqual(['cursor', 'from', 'limit', 'method', 'sort', 'status', 'statusClass']);
    const tooLong = await http(pipeline.api.getHttpServer())
      .get('/v1/requests')
      .query({ from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })
      .expect(422);
    expect(Object.keys(tooLong.body.details)).toEqual(['to']);
    const forged = Buffer.from('["not a date","x"]').toString('base64url');
    const badCursor = await http(pipeline.api.getHttpServer()).get('/v1/requests').query({ cursor: forged, limit: 501 }).expect(422);
    expect(Object.keys(badCursor.body.details).sort()).toEqual(['cursor', 'limit']);
  });
});
