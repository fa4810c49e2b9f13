import { mapEnvoy } from './envoy.preset.js';
import { fixture } from './fixture-lines.js';

/**
 * fixtures/envoy.ndjson: lines of the `json_format` in docs/sources.md as Envoy writes them
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#format-dictionaries:
 * a lone command operator keeps its type, so %RESPONSE_CODE% and %DURATION% are numbers; a missing header
 * is null, or "-" in older versions and text formats; %RESPONSE_CODE% is 0 when no response was sent).
 */
describe('Envoy preset', () => {
  const lines = fixture('envoy.ndjson') as unknown[];

  it('maps a line, taking %ROUTE_NAME% as the route when it is a path template', () => {
    expect(mapEnvoy(lines[0])).toEqual({
      ok: true,
      candidate: {
        requestId: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2',
        timestamp: '2026-11-30T14:02:11.310Z',
        method: 'POST',
        path: '/v1/locations?dry_run=1',
        route: '/v1/locations',
        status: 204,
        durationMs: 226,
        clientIp: '10.0.35.28',
        userAgent: 'nsq2http',
        apiKeyId: 'key_live_3',
      },
    });
  });

  it('carries Retry-After and the error code; a route name that is not a template and "-" headers are left out', () => {
    const mapped = mapEnvoy(lines[1]);
    expect(mapped).toEqual({
      ok: true,
      candidate: expect.objectContaining({ status: 429, durationMs: 3, retryAfter: 12, error: 'rate_limit_exceeded' }),
    });
    for (const absent of ['route', 'userAgent', 'apiKeyId']) expect(mapped.ok && mapped.candidate).not.toHaveProperty(absent);
  });

  it('leaves a line without request id or response to validation, which rejects it', () => {
    const mapped = mapEnvoy(lines[2]);
    expect(mapped).toEqual({ ok: true, candidate: expect.objectContaining({ status: 0, durationMs: 5 }) });
    expect(mapped.ok && mapped.candidate).not.toHaveProperty('requestId');
  });

  it('answers per-field errors for what Envoy would not write', () => {
    expect(mapEnvoy({ ...(lines[0] as object), duration: 2.5, retry_after: 'soon' })).toEqual({
      ok: false,
      details: {
        durationMs: ['must be a whole number (from "duration")'],
        retryAfter: ['must be seconds or an HTTP-date (from "retry_after")'],
      },
    });
    expect(mapEnvoy(null)).toEqual({ ok: false, details: { record: ['must be a JSON object (an Envoy access log line)'] } });
  });
});
