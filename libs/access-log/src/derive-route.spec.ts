import { deriveRoute, isIdLikeSegment, stripQuery } from './derive-route.js';

describe('deriveRoute', () => {
  it.each([
    ['/v1/sessions/12345', '/v1/sessions/:id'],
    ['/v1/sessions/ses_123abc', '/v1/sessions/:id'],
    ['/v1/sessions/ses_123abc/approve', '/v1/sessions/:id/approve'],
    ['/v1/api-keys/key_live_9f8e7d', '/v1/api-keys/:id'],
    ['/v1/webhook-endpoints/3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', '/v1/webhook-endpoints/:id'],
    ['/v1/documents/9f86d081884c7d659a2feaa0c55ad015', '/v1/documents/:id'],
    ['/v1/sessions?limit=10&cursor=abc', '/v1/sessions'],
    ['/v1/sessions/ses_1a2b3c4d?expand=steps', '/v1/sessions/:id'],
    ['/', '/'],
    ['/health', '/health'],
  ])('%s → %s', (path, route) => {
    expect(deriveRoute(path)).toBe(route);
  });

  it('keeps fixed words, version segments and short words', () => {
    for (const word of ['v1', 'sessions', 'api-keys', 'approve', 'webhook_endpoints', 'me']) {
      expect(isIdLikeSegment(word)).toBe(false);
    }
  });

  it('strips query strings and fragments', () => {
    expect(stripQuery('/v1/x?token=secret#frag')).toBe('/v1/x');
    expect(stripQuery('/v1/x#frag')).toBe('/v1/x');
    expect(stripQuery('/v1/x')).toBe('/v1/x');
  });
});
