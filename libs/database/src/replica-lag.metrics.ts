import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import type { AppRegistry } from '#libs/metrics';
import { withTimeout } from '#libs/redis';

/** A scrape stays fast while the replica is away: then the lag gauges are absent and replica_up is 0. */
const READ_TIMEOUT_MS = 1000;

/**
 * On the replica: how far behind its replay is in time. now() − the commit time of the last replayed
 * transaction grows while the primary is idle, so it counts only while WAL received is not yet
 * replayed; everything received replayed is 0 (a replica cut off from its primary also shows 0: the
 * bytes below show that case). NULL before the replica replayed any transaction since it started.
 * A server that is not a standby (DATABASE_READ_URL naming a primary, or a promoted replica) lags by 0.
 */
const REPLICA_LAG_SQL = `
SELECT pg_last_wal_replay_lsn()::text AS replayed,
       CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8 AS seconds`;
/** On the primary: WAL written that the replica has not replayed yet. */
const BYTES_BEHIND_SQL = 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 AS bytes';

interface ReplicaLag {
  seconds: number | null;
  bytes: number | null;
}

/**
 * The read replica's lag, read at scrape time (the api, only when DATABASE_READ_URL is set; with no
 * replica none of these series exists): one round trip to the replica and one to the primary per scrape.
 */
export class ReplicaLagMetrics {
  private inFlight?: Promise<ReplicaLag | null>;

  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool,
    registry: AppRegistry,
  ) {
    const lag = () => this.lag();
    new Gauge({
      name: 'verilock_database_replica_up',
      help: `1 when the read replica answered the lag query within ${READ_TIMEOUT_MS} ms at scrape time, else 0.`,
      registers: [registry],
      async collect() {
        this.set((await lag()) ? 1 : 0);
      },
    });
    const lagGauge = (name: string, help: string, figure: keyof ReplicaLag) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        // Absent, not 0, when the replica did not answer or the figure is unknown.
        async collect() {
          this.reset();
          const value = (await lag())?.[figure];
          if (value !== null && value !== undefined) this.set(Math.max(0, value));
        },
      });
    lagGauge(
      'verilock_database_replica_lag_seconds',
      "Now minus the commit time of the replica's last replayed transaction while it has WAL left to replay, else 0.",
      'seconds',
    );
    lagGauge(
      'verilock_database_replica_lag_bytes',
      "Bytes of WAL between the primary's current position and the replica's replay position.",
      'bytes',
    );
  }

  /** One read per scrape, shared by the three gauges. */
  private lag(): Promise<ReplicaLag | null> {
    this.inFlight ??= withTimeout(this.read(), READ_TIMEOUT_MS, 'replica lag')
      .catch(() => null)
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<ReplicaLag> {
    const { rows } = await this.replica.query<{ replayed: string | null; seconds: number | null }>(REPLICA_LAG_SQL);
    const { replayed, seconds } = rows[0];
    if (replayed === null) return { seconds, bytes: null };
    // The primary away (the api answers 503 anyway) leaves the bytes unknown, not the replica down.
    const behind = await this.primary.query<{ bytes: number }>(BYTES_BEHIND_SQL, [replayed]).catch(() => null);
    return { seconds, bytes: behind?.rows[0].bytes ?? null };
  }
}
