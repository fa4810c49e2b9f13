import { DatabaseError } from 'pg';

/** SQLSTATE classes of a database that is unwell rather than a statement it refused: connection exception, insufficient resources, operator intervention (shutdown), system error, internal error. */
const DATABASE_UNWELL = new Set(['08', '53', '57', '58', 'XX']);

/**
 * Whether a failed write was refused by Postgres for what it wrote (a data or constraint error), as
 * opposed to the database being unreachable or unwell (a network error, a lost connection, a shutdown),
 * which no other split of the same rows would fix.
 */
export function refusedForItsData(err: unknown): boolean {
  return err instanceof DatabaseError && typeof err.code === 'string' && !DATABASE_UNWELL.has(err.code.slice(0, 2));
}
