import { Inject, Injectable } from '@nestjs/common';
import { RateLimited } from '#libs/errors';
import { WindowCounter } from '#libs/window-counter';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthMetrics } from './auth-metrics.js';

/** The window AUTH_MAX_FAILURES_PER_MINUTE counts in. */
const FAILURE_WINDOW_MS = 60_000;

/**
 * Failed authentications per client (IPv4 address or IPv6 /64, see clientKeyOf), counted in Redis so
 * every api replica shares the budget. Once a client has failed AUTH_MAX_FAILURES_PER_MINUTE times in
 * the current minute, keys it presents that are not known to be valid are refused with 429 before any
 * Postgres lookup, until the window ends. Fails open: while Redis is away nothing is counted (the
 * unknown-key cache still absorbs repeated keys), so reads that need only Postgres keep working.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly limit: number;

  constructor(
    private readonly counter: WindowCounter,
    private readonly metrics: AuthMetrics,
    @Inject(AUTH_CONFIG.token) config: AuthConfig,
  ) {
    this.limit = config.maxFailuresPerMinute;
  }

  /** Throws RateLimited (429 `rate_limit_exceeded` over HTTP) when `client` has no failures left in this window. */
  async assertAllowed(client: string): Promise<void> {
    const window = await this.counter.peek(counterName(client));
    if (!window || window.count < this.limit) return;
    const seconds = Math.max(1, Math.ceil(window.ttlMs / 1000));
    this.metrics.refused('too_many_failures');
    throw new RateLimited(
      seconds,
      { limit: this.limit, bucket: 'auth_failures' },
      `Too many failed authentications from this client. Please retry after ${seconds} seconds.`,
    );
  }

  async recordFailure(client: string): Promise<void> {
    await this.counter.hit(counterName(client), FAILURE_WINDOW_MS);
  }
}

function counterName(client: string): string {
  return `auth-failures:${client}`;
}
