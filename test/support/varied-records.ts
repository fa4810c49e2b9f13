import { randomUUID } from 'node:crypto';

/** Concrete paths of the Verilock API (ids vary per record; routes derive to templates). */
const PATHS = [
  (id: string) => `/v1/sessions/ses_${id}`,
  (id: string) => `/v1/sessions/ses_${id}/approve`,
  (id: string) => `/v1/sessions/ses_${id}/decline`,
  () => '/v1/sessions',
  (id: string) => `/v1/api-keys/key_${id}`,
  () => '/v1/api-keys',
  (id: string) => `/v1/webhook-endpoints/whe_${id}`,
  () => '/v1/webhook-endpoints',
  (id: string) => `/v1/documents/${parseInt(id, 36)}`,
  () => '/v1/health',
];
const METHODS = ['GET', 'POST', 'GET', 'PATCH', 'DELETE', 'GET'];

/** Status mix of a busy API: mostly 2xx, every documented error, and some 429/503 bursts. */
const OUTCOMES: { status: number; error?: string; retryAfter?: number }[] = [
  ...Array.from({ length: 30 }, () => ({ status: 200 })),
  ...Array.from({ length: 8 }, () => ({ status: 201 })),
  { status: 204 },
  { status: 204 },
  { status: 400, error: 'bad_request' },
  { status: 401, error: 'unauthorized' },
  { status: 403, error: 'forbidden' },
  { status: 404, error: 'not_found' },
  { status: 404, error: 'not_found' },
  { status: 409, error: 'conflict' },
  { status: 422, error: 'validation_error' },
  { status: 422, error: 'validation_error' },
  { status: 429, error: 'rate_limit_exceeded', retryAfter: 30 },
  { status: 429, error: 'rate_limit_exceeded', retryAfter: 5 },
  { status: 429, error: 'rate_limit_exceeded' },
  { status: 500, error: 'internal_error' },
  { status: 503, error: 'service_unavailable', retryAfter: 10 },
];

/**
 * `count` valid, varied access-log records (routes, methods, statuses with their error bodies,
 * Retry-After, `apiKeys` distinct keys, latencies from 1 ms to a few seconds), sent within the
 * last `spreadSeconds`. Deterministic but for the request ids and the clock.
 */
export function variedRecords(count: number, options: { apiKeys?: number; spreadSeconds?: number; idPrefix?: string } = {}) {
  const { apiKeys = 20, spreadSeconds = 60, idPrefix = `var_${randomUUID().slice(0, 8)}` } = options;
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const outcome = OUTCOMES[(i * 7) % OUTCOMES.length];
    const id = ((i * 2654435761) >>> 0).toString(36).padStart(6, '0');
    return {
      requestId: `${idPrefix}_${i}`,
      timestamp: new Date(now - 1000 - ((i * 37) % (spreadSeconds * 1000))).toISOString(),
      method: METHODS[i % METHODS.length],
      path: PATHS[i % PATHS.length](id),
      status: outcome.status,
      durationMs: Math.round(Math.exp((i % 97) / 12) * 10) / 10,
      ...(outcome.error ? { error: outcome.error, message: `Generated ${outcome.status}.` } : {}),
      ...(outcome.retryAfter ? { retryAfter: outcome.retryAfter } : {}),
      apiKeyId: `key_live_${i % apiKeys}`,
    };
  });
}
