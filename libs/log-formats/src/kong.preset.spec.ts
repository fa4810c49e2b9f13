import { fixture } from './fixture-lines.js';
import { mapKong } from './kong.preset.js';

/**
 * fixtures/kong-single.json is the http-log plugin's documented log object
 * (https://developer.konghq.com/plugins/http-log/#log-format, Kong/docs.konghq.com
 * app/_includes/md/plugins-hub/log-format.md); fixtures/kong-batch.json is what its queue POSTs when
 * `queue.max_batch_size` > 1 (an array of such objects), with a repeated header (an array), mixed-case
 * response headers, a regex route path and started_at as a string.
 */
describe('Kong preset', () => {
  it('maps the documented log object; a prefix path is not a route template', () => {
    expect(mapKong(fixture('kong-single.json'))).toEqual({
      ok: true,
      candidate: {
        timestamp: '2021-02-25T05:57:48.342Z',
        method: 'GET',
        path: '/log',
        status: 200,
        durationMs: 515,
        apiKeyId: 'foo',
        clientIp: '192.168.144.1',
        userAgent: 'HTTPie/2.4.0',
      },
    });
  });

  it('maps each entry of a batch: X-Request-Id, Retry-After, error code, consumer custom_id, regex route', () => {
    const [limited, created] = (fixture('kong-batch.json') as unknown[]).map(mapKong);
    expect(limited).toEqual({
      ok: true,
      candidate: {
        requestId: 'req_kong_1',
        timestamp: '2025-11-30T14:02:11.000Z',
        method: 'GET',
        path: '/v1/users/usr_12?expand=org',
        route: '/v1/users/:id',
        status: 429,
        durationMs: 7,
        error: 'rate_limit_exceeded',
        retryAfter: 20,
        apiKeyId: 'key_live_7',
        clientIp: '203.0.113.50',
        userAgent: 'acme-sdk/2.1',
      },
    });
    expect(created).toEqual({
      ok: true,
      candidate: expect.objectContaining({
        requestId: 'f3a9c1e07b2d4e58a6c4b1d2e3f40a1b',
        timestamp: '2025-11-30T14:02:12.500Z',
        status: 201,
      }),
    });
    expect(created.ok && created.candidate).not.toHaveProperty('apiKeyId');
  });

  it('answers per-field errors for values Kong would not write', () => {
    expect(mapKong({ started_at: 'yesterday', response: { status: '4xx' }, latencies: { request: 'fast' } })).toEqual({
      ok: false,
      details: {
        timestamp: ['must be a time in milliseconds since the epoch (from "started_at")'],
        status: ['must be a whole number (from "response.status")'],
        durationMs: ['must be a whole number (from "latencies.request")'],
      },
    });
    expect(mapKong([1])).toEqual({ ok: false, details: { record: ['must be a JSON object (a Kong http-log entry)'] } });
  });
});
