import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { PURGE_ROLLUPS_SQL, ROLLUP_WRITES_FROM_INSERTED } from './rollup-write.sql.js';

/** Writes and purges the per-minute rollups; reads live in RollupQueryRepository. */
@Injectable()
export class RollupRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * The SQL that counts a batch's new rows into the rollups, for RequestLogRepository.storeBatch to
   * run inside its insert statement: only rows really inserted are counted, so a redelivered batch
   * adds nothing, and a failed insert counts nothing.
   */
  readonly writesFromInserted = ROLLUP_WRITES_FROM_INSERTED;

  /** Deletes rollup minutes before `cutoff`; returns how many rows went. */
  async purgeBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (const sql of PURGE_ROLLUPS_SQL) deleted += (await this.pool.query(sql, [cutoff])).rowCount ?? 0;
    return deleted;
  }
}
