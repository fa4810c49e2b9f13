import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import { Unavailable } from '#libs/errors';
import { REDACTION_CONFIG, type RedactionConfig, Redactor } from '#libs/redaction';
import { REDIS_CONFIG, type RedisConfig, redisClient, throttledWarning, withTimeout } from '#libs/redis';
import { type IngestSource, type RejectedLineEntry, SourceHealthRecorder, SourceHealthStore } from '#libs/source-health';

/** One source as `GET /v1/admin/ingest/sources` lists it. */
export interface SourceReport {
  source: IngestSource;
  lastSeenAt: string | null;
  received: number;
  accepted: number;
  rejected: number;
  /** Newest first. */
  lastRejected: RejectedLineEntry[];
}

/**
 * The api's ingest health per source (SourceHealthRecorder), on its own fail-fast Redis connection like
 * the window counters': ingest never waits for it, and a Redis away only delays the counts.
 */
@Injectable()
export class SourceHealth extends SourceHealthRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly redis: Redis | Cluster;

  constructor(
    @Inject(REDIS_CONFIG.token) private readonly redisConfig: RedisConfig,
    @Inject(REDACTION_CONFIG.token) redaction: RedactionConfig,
  ) {
    const warn = throttledWarning(new Logger(SourceHealth.name));
    const redis = redisClient(redisConfig.url, 'producer');
    redis.on('error', (err: Error) => warn(`ingest source health's Redis: ${err.message}`));
    super(new SourceHealthStore(redis, redisConfig.keyPrefix), new Redactor(redaction), warn);
    this.redis = redis;
  }

  async onModuleInit(): Promise<void> {
    await withTimeout(this.redis.connect(), 2000, 'ingest source health Redis connection').catch(() => undefined);
    this.start();
  }

  /** Every source, this process's latest counts included (flushed first); Unavailable if Redis cannot answer. */
  async report(): Promise<SourceReport[]> {
    try {
      await this.flush();
      const totals = await withTimeout(this.store.read(), this.redisConfig.commandTimeoutMs, 'ingest sources read');
      return totals.map(({ source, received, accepted, rejected, lastSeenMs, lines }) => ({
        source,
        lastSeenAt: lastSeenMs === null ? null : new Date(lastSeenMs).toISOString(),
        received,
        accepted,
        rejected,
        lastRejected: lines.map((line) => JSON.parse(line) as RejectedLineEntry),
      }));
    } catch (err) {
      throw new Unavailable(`Ingest source health cannot be read (${(err as Error).message}).`, 5);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.stop(), this.redisConfig.commandTimeoutMs, 'ingest source health flush').catch(() => undefined);
    this.redis.disconnect();
  }
}
