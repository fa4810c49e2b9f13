import request from 'supertest';
import type { App } from 'supertest/types.js';

/** The key every test request carries (the test config makes it the bootstrap admin key once auth exists). */
export const TEST_API_KEY = 'vlk_test_admin_0123456789abcdef0123456789abcdef';

/** A supertest agent that sends the test API key on every request: use it for all HTTP in tests. */
export function http(server: App) {
  return request.agent(server).set('X-API-Key', TEST_API_KEY);
}

/** An agent with no key, for tests of unauthenticated access. */
export function anonymousHttp(server: App) {
  return request.agent(server);
}
