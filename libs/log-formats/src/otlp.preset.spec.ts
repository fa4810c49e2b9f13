import { mapOtlp } from './otlp.preset.js';

const at = '2026-11-30T14:02:11.310Z';
const nanos = `${Date.parse(at)}000000`;
const line = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ attributes, timeUnixNano: nanos, ...extra });

describe('OTLP preset: HTTP semantic-convention attributes to a record candidate', () => {
  it('maps the current attribute names, a header array giving its first value', () => {
    expect(
      mapOtlp(
        line({
          'http.request.method': 'POST',
          'url.path': '/v1/sessions/ses_1/approve',
          'http.route': '/v1/sessions/:id/approve',
          'http.response.status_code': 429,
          'http.request.header.x-request-id': ['req_1', 'req_2'],
          'http.server.request.duration': 0.0123,
          'http.response.header.retry-after': ['Mon, 30 Nov 2026 14:03:11 GMT'],
          'http.response.header.x-error-code': ['rate_limit_exceeded'],
          'http.response.header.x-api-key-id': ['key_live_7'],
          'client.address': '203.0.113.9',
          'user_agent.original': 'curl/8.5',
        }),
      ),
    ).toEqual({
      ok: true,
      candidate: {
        requestId: 'req_1',
        timestamp: at,
        method: 'POST',
        path: '/v1/sessions/ses_1/approve',
        route: '/v1/sessions/:id/approve',
        status: 429,
        durationMs: 12.3,
        error: 'rate_limit_exceeded',
        retryAfter: 60,
        apiKeyId: 'key_live_7',
        clientIp: '203.0.113.9',
        userAgent: 'curl/8.5',
      },
    });
  });

  it('reads the older names, the path of url.full, and the observed time when the event time is unset', () => {
    const mapped = mapOtlp({
      attributes: {
        'http.method': 'GET',
        'url.full': 'https://api.example/v1/users/usr_1?expand=1',
        'http.status_code': '404',
        'http.response.header.x-request-id': 'req_9',
        'verilock.duration_ms': 3,
      },
      timeUnixNano: 0,
      observedTimeUnixNano: nanos,
    });
    expect(mapped).toEqual({
      ok: true,
      candidate: { requestId: 'req_9', timestamp: at, method: 'GET', path: '/v1/users/usr_1', status: 404, durationMs: 3 },
    });
  });

  it('takes error, message and details from a body holding a Verilock error answer (JSON text or key-value list)', () => {
    const answer = { error: 'validation_error', message: 'The given data was invalid.', details: { email: ['is required'] } };
    for (const body of [JSON.stringify(answer), answer]) {
      expect(mapOtlp(line({ 'verilock.error.code': 'overridden' }, { body }))).toMatchObject({
        ok: true,
        candidate: { error: 'overridden', message: answer.message, details: answer.details },
      });
    }
    expect(mapOtlp(line({}, { body: 'GET /v1/users 200' }))).toEqual({ ok: true, candidate: { timestamp: at } });
  });

  it('rejects values it cannot convert, naming the attribute they came from', () => {
    expect(mapOtlp(line({ 'http.status_code': 'teapot', 'http.server.request.duration': 'slow' }, { timeUnixNano: 'soon' }))).toEqual({
      ok: false,
      details: {
        timestamp: ['must be nanoseconds since the epoch (from "timeUnixNano")'],
        status: ['must be a whole number (from "http.status_code")'],
        durationMs: ['must be a number of seconds (from "http.server.request.duration")'],
      },
    });
    expect(mapOtlp('not a record')).toEqual({ ok: false, details: { record: ['must be a JSON object (an OTLP log record)'] } });
  });
});
