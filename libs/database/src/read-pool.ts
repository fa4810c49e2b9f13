import { Logger } from '@nestjs/common';
import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { Counter } from 'prom-client';
import type { AppRegistry } from '#libs/metrics';
import { type FallbackReason, replicaFallbackReason } from './replica-errors.js';

/** How often a replica found unavailable is tried again in the background; meanwhile reads go to the primary. */
const REPLICA_RECHECK_MS = 5000;

type Query = string | QueryConfig;

/**
 * Where the query side's statements run (the read repositories of libs/store take this, never the
 * primary's pool): on the streaming replica named by DATABASE_READ_URL, else on the primary. The only
 * place that chooses. Writes, migrations, partition upkeep, API-key auth and the dead-letter admin use
 * the primary's pool (PG_POOL) directly.
 *
 * A replica that cannot answer (down, refusing connections, starting up) sends the read to the primary,
 * and later reads too until a background check finds it back every REPLICA_RECHECK_MS: a replica
 * outage costs support staff nothing while the primary is up. A statement the replica cancels because
 * of a conflict with recovery runs again on the primary. Other errors (the statement timeout, bad data)
 * are the answer: the primary would fail the same way. Searches and rollups read the replica as it is
 * (a window a few seconds stale is fine); a lookup by id that finds nothing asks the primary
 * (`queryFreshOnMiss`).
 */
export class ReadPool {
  private readonly logger = new Logger('ReadReplica');
  private readonly fallbacks?: Counter<'reason'>;
  private replicaDown = false;
  private recheck?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool | null,
    registry?: AppRegistry,
  ) {
    if (!replica || !registry) return;
    this.fallbacks = new Counter({
      name: 'verilock_database_replica_fallbacks_total',
      help:
        'Query-side reads run on the primary although a read replica is configured: miss (a lookup by id found nothing ' +
        'on the replica), unavailable (the replica could not answer, or is skipped until it answers again), conflict ' +
        '(the replica cancelled the statement for a conflict with recovery).',
      labelNames: ['reason'],
      registers: [registry],
    });
    for (const reason of ['miss', 'unavailable', 'conflict'] as const) this.fallbacks.inc({ reason }, 0);
  }

  get hasReplica(): boolean {
    return this.replica !== null;
  }

  /** A query-side statement: on the replica when one is configured and answering, else on the primary. */
  async query<R extends QueryResultRow>(query: Query, values?: unknown[]): Promise<QueryResult<R>> {
    return (await this.run<R>(query, values)).result;
  }

  /**
   * For a lookup of something just written (an id ingested a second ago): no row on the replica, which
   * may not have replayed it yet, is asked again of the primary. Only for point lookups: a miss costs
   * two queries.
   */
  async queryFreshOnMiss<R extends QueryResultRow>(query: Query, values?: unknown[]): Promise<QueryResult<R>> {
    const { result, onReplica } = await this.run<R>(query, values);
    if (!onReplica || result.rows.length > 0) return result;
    this.fellBack('miss');
    return this.primary.query<R>(query, values);
  }

  /** Whether the replica answers now (readiness); an answer ends an outage at once, a failure starts one. */
  async replicaAnswers(): Promise<boolean> {
    if (!this.replica) return false;
    try {
      await this.replica.query('SELECT 1');
      this.replicaBack();
      return true;
    } catch (err) {
      if (replicaFallbackReason(err) === 'unavailable') this.replicaLost(err);
      return false;
    }
  }

  /** Stops the background check and closes the replica's pool (the module closes the primary's). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.recheck);
    this.recheck = undefined;
    await this.replica?.end();
  }

  private async run<R extends QueryResultRow>(query: Query, values?: unknown[]): Promise<{ result: QueryResult<R>; onReplica: boolean }> {
    if (!this.replica) return { result: await this.primary.query<R>(query, values), onReplica: false };
    if (!this.replicaDown) {
      try {
        return { result: await this.replica.query<R>(query, values), onReplica: true };
      } catch (err) {
        const reason = replicaFallbackReason(err);
        if (!reason) throw err;
        if (reason === 'unavailable') this.replicaLost(err);
        this.fellBack(reason);
        return { result: await this.primary.query<R>(query, values), onReplica: false };
      }
    }
    this.fellBack('unavailable');
    return { result: await this.primary.query<R>(query, values), onReplica: false };
  }

  private fellBack(reason: FallbackReason): void {
    this.fallbacks?.inc({ reason });
  }

  private replicaLost(err: unknown): void {
    if (!this.replicaDown) this.logger.warn(`read replica unavailable, reads go to the primary: ${(err as Error).message}`);
    this.replicaDown = true;
    if (this.closed) return;
    this.recheck ??= setTimeout(() => {
      this.recheck = undefined;
      void this.replicaAnswers();
    }, REPLICA_RECHECK_MS).unref();
  }

  private replicaBack(): void {
    if (this.replicaDown) this.logger.log('read replica answers again: reads go to it');
    this.replicaDown = false;
  }
}
