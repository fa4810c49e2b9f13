import type { AccessLogRecord } from '#libs/access-log';
import { summariseForRollups, utcMinute } from './rollup-summary.js';

const record = (overrides: Partial<AccessLogRecord>): AccessLogRecord => ({
  requestId: 'req_1',
  timestamp: '2026-11-25T10:15:42.123Z',
  method: 'POST',
  path: '/v1/sessions',
  route: '/v1/sessions',
  status: 201,
  durationMs: 10,
  error: null,
  message: null,
  details: null,
  retryAfter: null,
  apiKeyId: 'key_1',
  clientIp: null,
  userAgent: null,
  ...overrides,
});

describe('summariseForRollups', () => {
  it('sums records per minute and cell, keeping null apart from any string', () => {
    const groups = JSON.parse(
      summariseForRollups([
        record({ durationMs: 10 }),
        record({ durationMs: 30, timestamp: '2026-11-25T10:15:59.999Z' }),
        record({ durationMs: 5, timestamp: '2026-11-25T10:16:00.000Z' }),
        record({ status: 429, error: 'rate_limit_exceeded', durationMs: 2 }),
        record({ apiKeyId: null, durationMs: 1 }),
        record({ apiKeyId: '-', durationMs: 1 }),
      ]),
    );
    expect(groups).toEqual([
      {
        minute: '2026-11-25T10:15:00Z',
        status: 201,
        method: 'POST',
        route: '/v1/sessions',
        error_code: null,
        api_key_id: 'key_1',
        count: 2,
        duration_ms_sum: 40,
        duration_ms_max: 30,
      },
      {
        minute: '2026-11-25T10:16:00Z',
        status: 201,
        method: 'POST',
        route: '/v1/sessions',
        error_code: null,
        api_key_id: 'key_1',
        count: 1,
        duration_ms_sum: 5,
        duration_ms_max: 5,
      },
      {
        minute: '2026-11-25T10:15:00Z',
        status: 429,
        method: 'POST',
        route: '/v1/sessions',
        error_code: 'rate_limit_exceeded',
        api_key_id: 'key_1',
        count: 1,
        duration_ms_sum: 2,
        duration_ms_max: 2,
      },
      {
        minute: '2026-11-25T10:15:00Z',
        status: 201,
        method: 'POST',
        route: '/v1/sessions',
        error_code: null,
        api_key_id: null,
        count: 1,
        duration_ms_sum: 1,
        duration_ms_max: 1,
      },
      {
        minute: '2026-11-25T10:15:00Z',
        status: 201,
        method: 'POST',
        route: '/v1/sessions',
        error_code: null,
        api_key_id: '-',
        count: 1,
        duration_ms_sum: 1,
        duration_ms_max: 1,
      },
    ]);
  });

  it('truncates any RFC 3339 timestamp to its UTC minute', () => {
    expect(utcMinute('2026-11-25T10:15:42.123Z')).toBe('2026-11-25T10:15:00Z');
    expect(utcMinute('2026-11-25T23:59:30+02:00')).toBe('2026-11-25T21:59:00Z');
    expect(utcMinute('2026-11-25T00:00:10-00:30')).toBe('2026-11-25T00:30:00Z');
    expect(utcMinute('2026-11-25T10:15:42Z')).toBe('2026-11-25T10:15:00Z');
  });
});
