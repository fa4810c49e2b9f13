import { http } from './support/http.js';
import { keyHistory } from './support/key-history.js';
import { makeRecord } from './support/factories.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('GET /v1/requests/:requestId/neighbors', () => {
  let pipeline: Pipeline;
  const history = keyHistory();
  const noKey = makeRecord({ apiKeyId: null, status: 401, error: 'unauthorized' });
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    const records = [...history.records, noKey];
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send(records).expect(202);
    await waitUntilStored(
      pipeline.db,
      records.map((r) => r.requestId as string),
    );
  });
  afterAll(() => pipeline.close());
  const get = (path: string) => http(pipeline.api.getHttpServer()).get(path);

  it("answers the same key's requests just before (oldest first) and after, never another key's", async () => {
    const res = await get(`/v1/requests/${history.target.requestId}/neighbors`).expect(200);
    expect(res.body).toEqual({
      requestId: history.target.requestId,
      timestamp: history.target.timestamp,
      apiKeyId: history.apiKeyId,
      before: history.before.map((r) => expect.objectContaining({ requestId: r.requestId, timestamp: r.timestamp })),
      after: history.after.map((r) => expect.objectContaining({ requestId: r.requestId, timestamp: r.timestamp })),
    });
    // The shape of a search result (one presenter for both lists)
    expect(res.body.before[2]).toEqual({
      requestId: history.before[2].requestId,
      timestamp: history.before[2].timestamp,
      method: 'GET',
      path: '/v1/sessions/ses_9x8y7z6w',
      route: '/v1/sessions/:id',
      status: 404,
      statusClass: '4xx',
      error: 'not_found',
      message: null,
      retryAfter: null,
      apiKeyId: history.apiKeyId,
      durationMs: 42.5,
    });
  });

  it('honours limit, nearest first', async () => {
    const res = await get(`/v1/requests/${history.target.requestId}/neighbors?limit=1`).expect(200);
    expect(res.body.before.map((r: { requestId: string }) => r.requestId)).toEqual([history.before[2].requestId]);
    expect(res.body.after.map((r: { requestId: string }) => r.requestId)).toEqual([history.after[0].requestId]);
  });

  it('has no neighbours for a request without an API key', async () => {
    await get(`/v1/requests/${noKey.requestId}/neighbors`).expect(200, {
      requestId: noKey.requestId,
      timestamp: noKey.timestamp,
      apiKeyId: null,
      before: [],
      after: [],
    });
  });

  it('answers 404 for an unknown id and 422 for a bad limit, in the conventions shape', async () => {
    const missing = await get('/v1/requests/req_never_stored_nb/neighbors').expect(404);
    expect(missing.body).toMatchObject({ error: 'not_found', details: { requestId: 'req_never_stored_nb' } });
    const bad = await get(`/v1/requests/${history.target.requestId}/neighbors?limit=0`).expect(422);
    expect(bad.body).toEqual({
      error: 'validation_error',
      message: 'The given data was invalid.',
      details: { limit: ['must be a whole number from 1 to 50'] },
    });
  });
});
