import type { Response } from 'supertest';

/**
 * Asserts a 429 in the conventions' shape: Retry-After within a 60-s window, mirrored in
 * details.retry_after, with what was limited. `message` gets the seconds; returns them.
 */
export function expectRateLimited(
  res: Response,
  expected: { message: (seconds: number) => string; limit: number; bucket: string },
): number {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body).toEqual({
    error: 'rate_limit_exceeded',
    message: expected.message(retryAfter),
    details: { retry_after: retryAfter, limit: expected.limit, bucket: expected.bucket },
  });
  expect(res.headers['x-request-id']).toBeDefined();
  return retryAfter;
}
