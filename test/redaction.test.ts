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
      details: {
        headers: { Authorization: 'Bearer eyJsecret', 'X-Api-Key': 'sk_live_header' },
        body: { password: 'hunter2', email: 'a@b.c' },
      },
      clientIp: '198.51.100.23',
    });
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send([record]).expect(202);
    await waitUntilStored(pipeline.db, [record.requestId as string]);
    const { rows } = await pipeline.db.query(
      'SELECT path, message, details, client_ip, row_to_json(r)::text AS everything FROM request_logs r WHERE request_id = $1',
      [record.requestId],
    );
    expect(rows[0]).toMatchObject({
      path: '/v1/sessions',
      message: 'Rejected api_key=[REDACTED] with Authorization: [REDACTED] [REDACTED]',
      details: { headers: { Authorization: '[REDACTED]', 'X-Api-Key': '[REDACTED]' }, body: { password: '[REDACTED]', email: 'a@b.c' } },
      client_ip: '198.51.100.0',
    });
    expect(rows[0].everything).not.toMatch(/sk_live|hunter2|eyJsecret/);
  });

  /**
   * Issue 12 #12: each input that was stored in clear, sent through the real api, queue, worker and
   * Postgres. Every secret is a distinct `SECRET_…` marker; after storage no column of any row holds
   * one, and each field shows what was masked.
   */
  it(
    'masks other Authorization schemes, credentials inside details values, header lists, every string field, ' +
      'more names, URL-encoded forms',
    async () => {
      const R = '[REDACTED]';
      const cases: { record: Record<string, unknown>; stored: Record<string, unknown> }[] = [
        { record: { message: 'Authorization: Token SECRET_token1' }, stored: { message: `Authorization: ${R} ${R}` } },
        {
          record: { message: 'Authorization: Digest username="ada", realm="api", nonce="SECRET_nonce", response="SECRET_digest"' },
          stored: { message: `Authorization: ${R} ${R}` },
        },
        {
          record: {
            message:
              'Authorization: AWS4-HMAC-SHA256 Credential=SECRET_akid/20261125/eu-west-1/s3/aws4_request, ' +
              'SignedHeaders=host, Signature=SECRET_sig',
          },
          stored: { message: `Authorization: ${R} ${R}` },
        },
        {
          record: {
            details: {
              log: 'retried with Bearer SECRET_bearer',
              form: 'user=ada&password=SECRET_pw',
              nested: [{ note: 'token=SECRET_tok2' }],
            },
          },
          stored: { details: { log: `retried with Bearer ${R}`, form: `user=ada&password=${R}`, nested: [{ note: `token=${R}` }] } },
        },
        {
          record: {
            details: {
              headers: [
                { name: 'Authorization', value: 'Bearer SECRET_list' },
                { name: 'Accept', value: 'application/json' },
              ],
              params: [{ key: 'X-Api-Key', value: 'SECRET_kv' }],
            },
          },
          stored: {
            details: {
              headers: [
                { name: 'Authorization', value: R },
                { name: 'Accept', value: 'application/json' },
              ],
              params: [{ key: 'X-Api-Key', value: R }],
            },
          },
        },
        {
          record: {
            userAgent: 'sdk/1.0 (Authorization: Bearer SECRET_ua)',
            error: 'token=SECRET_err',
            path: '/v1/login;jsessionid=SECRET_matrix?x=1',
          },
          stored: {
            userAgent: `sdk/1.0 (Authorization: ${R} ${R})`,
            error: `token=${R}`,
            path: `/v1/login;jsessionid=${R}`,
            route: `/v1/login;jsessionid=${R}`,
          },
        },
        {
          record: {
            details: {
              credentials: 'SECRET_cred',
              auth: 'SECRET_auth',
              jwt: 'SECRET_jwt',
              session_id: 'SECRET_sid',
              sessionid: 'SECRET_sid2',
              passphrase: 'SECRET_pp',
              signature: 'SECRET_sg',
            },
          },
          stored: { details: { credentials: R, auth: R, jwt: R, session_id: R, sessionid: R, passphrase: R, signature: R } },
        },
        {
          record: { message: 'callback q=password%3DSECRET_enc%26user%3Dada h=Authorization%3A%20Bearer%20SECRET_enc2' },
          stored: { message: `callback q=password%3D${R}%26user%3Dada h=Authorization%3A%20${R}%20${R}` },
        },
      ];
      const records = cases.map(({ record }) => makeRecord({ status: 401, error: 'unauthorized', ...record }));
      await http(pipeline.api.getHttpServer())
        .post('/v1/logs')
        .send(records)
        .expect(202, { accepted: records.length, rejected: [], rejectedCount: 0 });
      const ids = records.map((r) => r.requestId as string);
      await waitUntilStored(pipeline.db, ids);
      const { rows } = await pipeline.db.query(
        'SELECT request_id, path, route, error_code AS error, message, details, user_agent AS "userAgent", ' +
          'row_to_json(r)::text AS everything FROM request_logs r WHERE request_id = ANY($1)',
        [ids],
      );
      expect(rows).toHaveLength(cases.length);
      for (const row of rows) {
        expect(row.everything).not.toMatch(/SECRET_/);
        expect(row).toMatchObject(cases[ids.indexOf(row.request_id)].stored);
      }
    },
  );
});
