import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import type { DerivedWrites } from '#libs/request-store';
import { summariseForRollups } from './rollup-summary.js';
import { PURGE_ROLLUPS_SQL, ROLLUP_INPUT_FROM_INSERTED, ROLLUP_INPUT_FROM_SUMMARY, ROLLUP_WRITES } from './rollup-write.sql.js';

/** Writes and purges the per-minute rollups; reads live in RollupQueryRepository. */
@Injectable()
export class RollupRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * What counts a batch's new rows into the rollups, for RequestLogRepository.storeBatch to run in
   * the batch's own transaction: only rows really inserted are counted, so a redelivered batch adds
   * nothing, and a failed write counts nothing.
   */
  readonly derivedWrites: DerivedWrites = {
    statements: ROLLUP_WRITES,
    inputFromInserted: ROLLUP_INPUT_FROM_INSERTED,
    inputFromSummary: ROLLUP_INPUT_FROM_SUMMARY,
    summarise: summariseForRollups,
  };

  /** Deletes rollup minutes before `cutoff`; returns how many rows went. */
  async purgeBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (const sql of PURGE_ROLLUPS_SQL) deleted += (await this.pool.query(sql, [cutoff])).rowCount ?? 0;
    return deleted;
  }
}
