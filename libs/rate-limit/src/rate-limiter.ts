import { Inject, Injectable } from '@nestjs/common';
import { WindowCounter } from '#libs/window-counter';
import { RATE_LIMIT_CONFIG, type RateLimitConfig } from './rate-limit.config.js';

/** Ingest (POST /v1/logs) and queries (everything else a key calls) are limited separately. */
export type RateLimitBucket = 'ingest' | 'query';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number };

/** Per-key request budgets in fixed windows of RATE_LIMIT_WINDOW_SECONDS, counted in Redis. */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly counter: WindowCounter,
    @Inject(RATE_LIMIT_CONFIG.token) private readonly config: RateLimitConfig,
  ) {}

  async check(bucket: RateLimitBucket, keyId: string): Promise<RateDecision> {
    const { windowSeconds, ingestPerWindow, queryPerWindow } = this.config;
    const limit = bucket === 'ingest' ? ingestPerWindow : queryPerWindow;
    const window = await this.counter.hit(`rate:${bucket}:${keyId}`, windowSeconds * 1000);
    // Fail open: lookups must keep working while Redis is away (ingest answers 503 on its own then).
    if (!window || window.count <= limit) return { allowed: true };
    return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(window.ttlMs / 1000)) };
  }
}
