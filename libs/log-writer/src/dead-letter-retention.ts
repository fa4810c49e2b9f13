import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DeadLetterRepository } from '#libs/failed-batches';

const HOUR_MS = 3_600_000;

/**
 * Keeps the dead letter bounded in time: parked records first seen more than RETENTION_DAYS ago (as
 * long as raw rows are kept) are deleted hourly by the worker. Without it, a client sending
 * conflicting duplicates would grow the table for ever.
 */
@Injectable()
export class DeadLetterRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadLetterRetention.name);
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: DeadLetterRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const purge = () => (this.inFlight = this.run().catch((e: Error) => this.logger.warn(`dead-letter purge failed: ${e.message}`)));
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
    const deleted = await this.repository.purge(new Date(now.getTime() - this.config.partitions.retentionDays * 24 * HOUR_MS));
    if (deleted > 0) this.logger.log(`dead letter: purged ${deleted} record(s) older than ${this.config.partitions.retentionDays} days`);
    return deleted;
  }
}
