import pg from 'pg';

/** Why a read meant for the replica ran on the primary (the label of verilock_database_replica_fallbacks_total). */
export type FallbackReason = 'miss' | 'unavailable' | 'conflict';

/**
 * SQLSTATEs saying the replica cannot serve now, whatever the query: connection exceptions (class 08),
 * insufficient resources (53: too many connections, disk full), and shut down or still starting
 * (57P01-57P03: admin/crash shutdown, "the database system is starting up").
 */
const REPLICA_UNAVAILABLE = /^(08|53|57P0[1-3])/;
/**
 * serialization_failure: on a hot standby, "canceling statement due to conflict with recovery" (the
 * primary dropped a partition or vacuumed rows this query still read). This query only: the replica is fine.
 */
const RECOVERY_CONFLICT = '40001';

/**
 * Whether a replica's error sends the read to the primary, and why; undefined when the primary would
 * fail the same way (the statement timeout 57014, bad data): that error is the answer.
 * An error with no SQLSTATE never reached Postgres: refused or lost connection, DNS, a connection
 * that could not be opened or taken from the pool in time.
 */
export function replicaFallbackReason(error: unknown): FallbackReason | undefined {
  if (!(error instanceof pg.DatabaseError)) return 'unavailable';
  const code = error.code ?? '';
  if (code === RECOVERY_CONFLICT) return 'conflict';
  return REPLICA_UNAVAILABLE.test(code) ? 'unavailable' : undefined;
}
