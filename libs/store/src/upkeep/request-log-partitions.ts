import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '#libs/database';
import type { Pool } from 'pg';
import { inTransaction } from './in-transaction.js';
import { utcDay } from './utc-day.js';

/**
 * The daily partitions of request_logs: created before a batch needs them (the writer) and ahead of
 * time, dropped past retention (PartitionMaintainer). One instance per process, so the writer and the
 * maintainer share which days are known to exist.
 */
@Injectable()
export class RequestLogPartitions {
  /** Days known to have a partition; only ever grows, and is cleared if Postgres says otherwise. */
  private readonly known = new Set<string>();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Creates the partitions of these days (YYYY-MM-DD) not known to exist. */
  async ensureDays(days: Iterable<string>): Promise<void> {
    for (const day of days) await this.ensure(day);
  }

  /** A partition this process thought it had was dropped (retention): forget every known day. */
  forget(): void {
    this.known.clear();
  }

  /** Creates the daily partitions from `from` for `days` days; returns how many were new. */
  async ensureAhead(from: Date, days: number): Promise<number> {
    let created = 0;
    for (let i = 0; i < days; i++) {
      if (await this.ensure(utcDay(new Date(from.getTime() + i * 86_400_000)))) created++;
    }
    return created;
  }

  /**
   * Retention: drops every daily partition whose whole day is before `cutoffDay` (YYYY-MM-DD), under
   * the same advisory lock as partition creation. Dropping a partition is instant and leaves no
   * bloat, unlike DELETE. Returns the names of the dropped partitions.
   */
  async dropBefore(cutoffDay: string): Promise<string[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('request_logs_partitions'))`);
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = 'request_logs' ORDER BY 1`,
      );
      const dropped: string[] = [];
      for (const { name } of rows) {
        const day = partitionDay(name);
        if (day === undefined || day >= cutoffDay) continue;
        await client.query(`DROP TABLE "${name}"`);
        this.known.delete(day);
        dropped.push(name);
      }
      return dropped;
    });
  }

  private async ensure(day: string): Promise<boolean> {
    if (this.known.has(day)) return false;
    const { rows } = await this.pool.query<{ created: boolean }>('SELECT ensure_request_logs_partition($1::date) AS created', [day]);
    this.known.add(day);
    return rows[0].created;
  }
}

/** `request_logs_20261125` → `2026-11-25`; undefined for anything not named like a daily partition. */
function partitionDay(name: string): string | undefined {
  const match = /^request_logs_(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}
