import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RollupRepository } from './rollup.repository.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Deletes rollup minutes older than ROLLUP_RETENTION_DAYS, hourly. Rollups outlive raw rows
 * (whose partitions are dropped sooner), so long-range error rates survive raw retention.
 */
@Injectable()
export class RollupRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RollupRetention.name);
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: RollupRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const purge = () => {
      this.inFlight = this.run().then(
        () => undefined,
        (e: Error) => this.logger.warn(`rollup purge failed: ${e.message}`),
      );
    };
    purge();
    this.timer = setInterval(purge, HOUR_MS);
    this.timer.unref();
  }

  /** Before the pool closes: a purge in progress finishes rather than failing on a closed pool. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  async run(now = new Date()): Promise<number> {
    const deleted = await this.repository.purgeBefore(new Date(now.getTime() - this.config.rollups.retentionDays * DAY_MS));
    if (deleted > 0) this.logger.log(`purged ${deleted} rollup row(s)`);
    return deleted;
  }
}
