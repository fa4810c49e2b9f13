import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '#libs/database';
import type { InsertedRow } from '#libs/request-store';
import type { Pool, PoolClient } from 'pg';
import { ADD_TO_ROLLUP_SQL, ADD_TO_ROUTE_ROLLUP_SQL, ADD_TO_STATUS_ROLLUP_SQL, PURGE_ROLLUPS_SQL } from './rollup-write.sql.js';

/** Writes and purges the per-minute rollups; reads live in RollupQueryRepository. */
@Injectable()
export class RollupRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Counts rows into the rollups on the caller's transaction: pass it the rows the raw insert
   * returned (only the new ones), so a redelivered batch adds nothing and a rollback undoes both.
   */
  async addInserted(client: PoolClient, rows: InsertedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const parameters = [
      rows.map((r) => r.sent_at),
      rows.map((r) => r.status),
      rows.map((r) => r.method),
      rows.map((r) => r.route),
      rows.map((r) => r.error_code),
      rows.map((r) => r.api_key_id),
      rows.map((r) => r.duration_ms),
    ];
    await client.query(ADD_TO_ROLLUP_SQL, parameters);
    await client.query(ADD_TO_ROUTE_ROLLUP_SQL, parameters);
    await client.query(ADD_TO_STATUS_ROLLUP_SQL, parameters);
  }

  /** Deletes rollup minutes before `cutoff`; returns how many rows went. */
  async purgeBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (const sql of PURGE_ROLLUPS_SQL) deleted += (await this.pool.query(sql, [cutoff])).rowCount ?? 0;
    return deleted;
  }
}
