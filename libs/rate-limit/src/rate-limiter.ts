import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { redisConnection, throttledWarning, withTimeout } from '#libs/queue';
import { FIXED_WINDOW_SCRIPT } from './fixed-window.lua.js';

/** Ingest (POST /v1/logs) and queries (everything else a key calls) are limited separately. */
export type RateLimitBucket = 'ingest' | 'query';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number };

/** Per-key request budgets in fixed windows of RATE_LIMIT_WINDOW_SECONDS, counted in Redis. */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly warn = throttledWarning(new Logger(RateLimiter.name));
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Fail fast like the queue producer: a request must not hang on a Redis that is away.
    this.redis = new Redis({ ...(redisConnection(config.redis.url, 'producer') as RedisOptions), lazyConnect: true });
    this.redis.on('error', (err) => this.warn(`rate-limit Redis: ${err.message}`));
  }

  /** Connects before the first request (a fail-fast client would refuse commands while connecting). */
  async onModuleInit(): Promise<void> {
    await withTimeout(this.redis.connect(), 2000, 'rate-limit Redis connection').catch((err: Error) => this.warn(err.message));
  }

  async check(bucket: RateLimitBucket, keyId: string): Promise<RateDecision> {
    const { windowSeconds, ingestPerWindow, queryPerWindow } = this.config.rateLimit;
    const limit = bucket === 'ingest' ? ingestPerWindow : queryPerWindow;
    const counterKey = `${this.config.queue.prefix}:rate:${bucket}:${keyId}`;
    let count: number;
    let ttlMs: number;
    try {
      const reply = (await withTimeout(
        this.redis.eval(FIXED_WINDOW_SCRIPT, 1, counterKey, String(windowSeconds * 1000)),
        this.config.ingest.enqueueTimeoutMs,
        'rate-limit check',
      )) as [number, number];
      [count, ttlMs] = reply;
    } catch (err) {
      // Fail open: lookups must keep working while Redis is away (ingest answers 503 on its own then).
      this.warn(`rate limit not enforced: ${(err as Error).message}`);
      return { allowed: true };
    }
    if (count <= limit) return { allowed: true };
    return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }

}
