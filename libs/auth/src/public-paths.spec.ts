import { isPublicPath, publicPathPrefixes } from './public-paths.js';
import { grants, parseScopes } from './scopes.js';

describe('public paths', () => {
  const open = publicPathPrefixes({ healthRequiresKey: false, metricsRequiresKey: false, publicPaths: ['/docs', '/support/'] });

  it('opens each configured prefix and everything under it, nothing else', () => {
    for (const path of ['/docs', '/docs/json', '/support', '/support/app.js', '/health/live', '/metrics'])
      expect(isPublicPath(path, open)).toBe(true);
    for (const path of ['/docsx', '/v1/logs', '/supporting', '/v1/requests/x', '/']) expect(isPublicPath(path, open)).toBe(false);
  });

  it('closes /health and /metrics when configured to require a key', () => {
    const closed = publicPathPrefixes({ healthRequiresKey: true, metricsRequiresKey: true, publicPaths: [] });
    expect(isPublicPath('/health/ready', closed)).toBe(false);
    expect(isPublicPath('/metrics', closed)).toBe(false);
  });
});

describe('scopes', () => {
  it('admin implies every scope; others grant only themselves', () => {
    expect(grants(['admin'], 'logs:write')).toBe(true);
    expect(grants(['logs:read'], 'logs:write')).toBe(false);
    expect(grants(['logs:read', 'logs:write'], 'logs:write')).toBe(true);
  });

  it('parses a list and refuses unknown or empty scopes', () => {
    expect(parseScopes('logs:read, logs:write,logs:read')).toEqual(['logs:read', 'logs:write']);
    expect(() => parseScopes('logs:read,root')).toThrow(/root/);
    expect(() => parseScopes('')).toThrow();
  });
});
