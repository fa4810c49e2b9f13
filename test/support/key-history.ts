import { randomUUID } from 'node:crypto';
import { makeRecord } from './factories.js';

/**
 * One API key's requests a minute apart around a failing request (the one support is asked about),
 * plus a request of another key in between that must never show up as a neighbour.
 */
export function keyHistory(at = new Date(Date.now() - 3600_000)) {
  const run = randomUUID().slice(0, 8);
  const apiKeyId = `key_live_${run}`;
  const minute = (n: number) => new Date(at.getTime() + n * 60_000).toISOString();
  const plain = (n: number, overrides: Record<string, unknown> = {}) =>
    makeRecord({
      requestId: `req_${run}_${n < 0 ? 'm' : 'p'}${Math.abs(n)}`,
      timestamp: minute(n),
      apiKeyId,
      path: '/v1/sessions',
      method: 'GET',
      status: 200,
      ...overrides,
    });
  const target = makeRecord({
    requestId: `req_${run}_target`,
    timestamp: minute(0),
    apiKeyId,
    method: 'POST',
    path: '/v1/sessions/ses_4k2j9h7x/approve',
    status: 422,
    durationMs: 18.5,
    error: 'validation_error',
    message: 'The given data was invalid.',
    details: { redirect_url: ['The redirect url must be a valid URL.'] },
  });
  const before = [plain(-3), plain(-2), plain(-1, { status: 404, error: 'not_found', path: '/v1/sessions/ses_9x8y7z6w' })];
  const after = [plain(1, { method: 'POST', status: 201 }), plain(2)];
  const otherKey = makeRecord({
    requestId: `req_${run}_other`,
    timestamp: new Date(at.getTime() + 30_000).toISOString(),
    apiKeyId: `key_live_other_${run}`,
  });
  return { apiKeyId, target, before, after, records: [...before, target, ...after, otherKey], otherKey };
}
