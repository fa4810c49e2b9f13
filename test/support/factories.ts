import { randomUUID } from 'node:crypto';

/** A valid incoming access-log record (as the Verilock API would send it), with overrides. */
export function makeRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestId: `req_${randomUUID()}`,
    timestamp: new Date(Date.now() - 1000).toISOString(),
    method: 'POST',
    path: '/v1/sessions/ses_8f2k91ab?expand=steps',
    status: 201,
    durationMs: 42.5,
    apiKeyId: 'key_test_1',
    clientIp: '203.0.113.7',
    userAgent: 'verilock-node/3.1',
    ...overrides,
  };
}

/** `count` varied records: mostly 2xx, some 4xx with the documented error bodies, 429s and 503s. */
export function makeRecords(count: number, overrides: Record<string, unknown> = {}): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 10;
    if (kind === 7) {
      return makeRecord({
        status: 422,
        error: 'validation_error',
        message: 'The given data was invalid.',
        details: { redirect_url: ['The redirect url must be a valid URL.'] },
        ...overrides,
      });
    }
    if (kind === 8) {
      return makeRecord({
        status: 429,
        error: 'rate_limit_exceeded',
        message: 'Too many requests. Please retry after 30 seconds.',
        details: { retry_after: 30 },
        retryAfter: 30,
        ...overrides,
      });
    }
    if (kind === 9)
      return makeRecord({ status: 503, error: 'service_unavailable', retryAfter: 10, path: '/v1/webhook-endpoints', ...overrides });
    return makeRecord({ status: kind < 4 ? 200 : 201, ...overrides });
  });
}
