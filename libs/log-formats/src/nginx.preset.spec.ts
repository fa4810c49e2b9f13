import { fixture } from './fixture-lines.js';
import { mapNginx } from './nginx.preset.js';

/**
 * fixtures/nginx.ndjson: lines as nginx writes them with the `log_format verilock escape=json` of
 * docs/sources.md (https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format: unset variables
 * are written as empty strings; https://nginx.org/en/docs/http/ngx_http_upstream_module.html#var_upstream_response_time:
 * several times are separated by commas and colons, "-" when no upstream was asked).
 */
describe('nginx preset', () => {
  const lines = fixture('nginx.ndjson') as unknown[];

  it('maps a line with the incoming X-Request-Id, a query string and empty unset variables', () => {
    expect(mapNginx(lines[0])).toEqual({
      ok: true,
      candidate: {
        requestId: 'req_7Hk2pQ9x',
        timestamp: '2026-11-30T14:02:11+00:00',
        method: 'GET',
        path: '/v1/users/usr_12?expand=org',
        status: 200,
        durationMs: 12,
        apiKeyId: 'key_live_7',
        clientIp: '203.0.113.9',
        userAgent: 'curl/8.5.0',
      },
    });
  });

  it('carries the error code and Retry-After in seconds; an upstream_response_time list is not carried', () => {
    expect(mapNginx(lines[1])).toEqual({
      ok: true,
      candidate: expect.objectContaining({
        status: 429,
        durationMs: 13,
        error: 'rate_limit_exceeded',
        retryAfter: 30,
        userAgent: 'acme-sdk/2.1 ("beta")',
      }),
    });
    expect(mapNginx(lines[3])).toEqual({
      ok: true,
      candidate: expect.objectContaining({ status: 422, durationMs: 1250, userAgent: 'Mozilla/5.0\t(X11)' }),
    });
  });

  it('reads a Retry-After HTTP-date as seconds from the log time, and "-" or "" as absent', () => {
    const mapped = mapNginx(lines[2]);
    expect(mapped).toEqual({
      ok: true,
      candidate: expect.objectContaining({ status: 503, durationMs: 0, retryAfter: 120, error: 'service_unavailable' }),
    });
    expect(mapped.ok && mapped.candidate).not.toHaveProperty('apiKeyId');
    expect(mapped.ok && mapped.candidate).not.toHaveProperty('userAgent');
  });

  it('answers per-field errors for values nginx would not write', () => {
    expect(mapNginx({ ...(lines[0] as object), status: 'abc', request_time: '1,5' })).toEqual({
      ok: false,
      details: { status: ['must be a whole number (from "status")'], durationMs: ['must be a number of seconds (from "request_time")'] },
    });
    expect(mapNginx('GET /')).toEqual({ ok: false, details: { record: ['must be a JSON object (an nginx log line)'] } });
  });

  it('accepts numbers unquoted too (a log_format without quotes around $status and $request_time)', () => {
    expect(mapNginx({ ...(lines[0] as object), status: 200, request_time: 0.5 })).toEqual({
      ok: true,
      candidate: expect.objectContaining({ status: 200, durationMs: 500 }),
    });
  });
});
