import type { AuthConfig } from './auth.config.js';

/**
 * Path prefixes open without a key: AUTH_PUBLIC_PATHS (default /docs and /support, whose data calls
 * carry the key themselves), plus /health and /metrics unless HEALTH_/METRICS_REQUIRE_KEY. A prefix
 * matches itself and anything below it (`/docs` matches `/docs` and `/docs/json`, not `/docsx`).
 */
export function publicPathPrefixes(auth: Pick<AuthConfig, 'publicPaths' | 'healthRequiresKey' | 'metricsRequiresKey'>): string[] {
  const prefixes = [...auth.publicPaths];
  if (!auth.healthRequiresKey) prefixes.push('/health');
  if (!auth.metricsRequiresKey) prefixes.push('/metrics');
  return prefixes.map((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p));
}

export function isPublicPath(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}
