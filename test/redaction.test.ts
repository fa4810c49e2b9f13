import { http } from './support/http.js';
import { makeRecord } from './support/factories.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('redaction before storage', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ CLIENT_IP_MODE: 'truncate' }));
  });
  afterAll(() => pipeline.close());

  it('never stores secrets from details, message or the query string, and truncates the client IP', async () => {
    const record = makeRecord({
      path: '/v1/sessions?access_token=sk_live_query',
      status: 401,
      error: 'unauthorized',
      message: 'Rejected api_key=sk_live_message with Authorization: Bearer eyJsecret',
      details: { headers: { Authorization: 'Bearer eyJsecret', 'X-Api-Key': 'sk_live_header' }, body: { password: 'hunter2', email: 'a@b.c' } },
      clientIp: '198.51.100.23',
    });
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send([record]).expect(202);
    await waitUntilStored(pipeline.db, [record.requestId as string]);
    const { rows } = await pipeline.db.query('SELECT path, message, details, client_ip, row_to_json(r)::text AS everything FROM request_logs r WHERE request_id = $1', [record.requestId]);
    expect(rows[0]).toMatchObject({
      path: '/v1/sessions',
      message: 'Rejected api_key=[REDACTED] with Authorization: [REDACTED] [REDACTED]',
      details: { headers: { Authorization: '[REDACTED]', 'X-Api-Key': '[REDACTED]' }, body: { password: '[REDACTED]', email: 'a@b.c' } },
      client_ip: '198.51.100.0',
    });
    expect(rows[0].everything).not.toMatch(/sk_live|hunter2|eyJsecret/);
  });
});
