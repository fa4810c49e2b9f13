import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { inTransaction } from './in-transaction.js';
import { STORE_CONFIG, type StoreConfig } from '../store.config.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Rollup minutes older than the cutoff ($1); all four tables keep the same horizon. */
const PURGE_ROLLUPS_SQL = [
  'DELETE FROM request_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_route_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_status_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_totals_minute WHERE bucket < $1',
];

/** Taken by the worker purging now; another worker finding it taken skips this round. */
const TRY_LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtext('request_rollups_retention')) AS locked`;

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
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(STORE_CONFIG.token) private readonly config: StoreConfig,
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

  /**
   * One purge, once cluster-wide: every worker runs this hourly, and the first to take the advisory lock
   * purges while the others skip (return 0) instead of queueing up to delete the same minutes again. The
   * lock is the transaction's, so a worker killed mid-purge releases it and rolls its deletes back.
   */
  async run(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.rollupRetentionDays * DAY_MS);
    const deleted = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ locked: boolean }>(TRY_LOCK_SQL);
      let n = 0;
      if (rows[0].locked) for (const sql of PURGE_ROLLUPS_SQL) n += (await client.query(sql, [cutoff])).rowCount ?? 0;
      return n;
    });
    if (deleted > 0) this.logger.log(`purged ${deleted} rollup row(s)`);
    return deleted;
  }
}
