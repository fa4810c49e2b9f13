import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RequestLogPartitions } from './request-log-partitions.js';
import { utcDay } from './utc-day.js';
import { STORE_CONFIG, type StoreConfig } from '../store.config.js';

const HOUR_MS = 3_600_000;

/**
 * Hourly upkeep of request_logs: daily partitions created ahead of need (yesterday through
 * PARTITIONS_AHEAD_DAYS from now), and partitions entirely older than RETENTION_DAYS dropped.
 */
@Injectable()
export class PartitionMaintainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PartitionMaintainer.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly partitions: RequestLogPartitions,
    @Inject(STORE_CONFIG.token) private readonly config: StoreConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(
      () => void this.run().catch((e) => this.logger.warn(`partition upkeep failed: ${(e as Error).message}`)),
      HOUR_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    const created = await this.partitions.ensureAhead(new Date(Date.now() - 86_400_000), this.config.partitionsAheadDays + 2);
    if (created > 0) this.logger.log(`created ${created} request_logs partition(s)`);
    const cutoff = utcDay(new Date(Date.now() - this.config.retentionDays * 86_400_000));
    const dropped = await this.partitions.dropBefore(cutoff);
    if (dropped.length > 0) this.logger.log(`retention (${this.config.retentionDays} days): dropped ${dropped.join(', ')}`);
  }
}
