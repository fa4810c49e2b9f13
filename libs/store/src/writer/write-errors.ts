import { DatabaseError } from 'pg';

/**
 * SQLSTATE classes of a database that is unwell rather than a statement it refused: connection exception,
 * insufficient resources, operator intervention (shutdown), system error, internal error.
 */
const DATABASE_UNWELL = new Set(['08', '53', '57', '58', 'XX']);

/**
 * Whether a failed write was refused by Postgres for what it wrote (a data or constraint error), as
 * opposed to the database being unreachable or unwell (a network error, a lost connection, a shutdown),
 * which no other split of the same rows would fix.
 */
export function refusedForItsData(err: unknown): boolean {
  return err instanceof DatabaseError && typeof err.code === 'string' && !DATABASE_UNWELL.has(err.code.slice(0, 2));
}

/**
 * SQLSTATE classes in which Postgres refuses a row for what it holds, by the name the dead letter and
 * its metric give them: data exception (a value out of range, bad text, a NUL), integrity constraint
 * violation (NOT NULL, CHECK, no partition for the row), program limit exceeded (a value too large to
 * index). Every other refusal (a missing table or privilege, a deadlock, a serialization failure) says
 * nothing about one record, so it fails the batch for BullMQ to retry instead.
 */
const RECORD_REFUSALS = new Map([
  ['22', 'data_exception'],
  ['23', 'integrity_constraint_violation'],
  ['54', 'program_limit_exceeded'],
]);

/** Every value recordRefusalReason can return: the metric's `reason` label values. */
export const RECORD_REFUSAL_REASONS: readonly string[] = [...RECORD_REFUSALS.values()];

/** Whether Postgres refused a write for the data of some record in it: splitting the write can isolate that record. */
export function refusedForARecord(err: unknown): err is DatabaseError {
  return err instanceof DatabaseError && typeof err.code === 'string' && RECORD_REFUSALS.has(err.code.slice(0, 2));
}

/** The bounded name of a record refusal's SQLSTATE class (e.g. `data_exception`), as refusedForARecord accepts. */
export function recordRefusalReason(err: DatabaseError): string {
  return RECORD_REFUSALS.get(err.code!.slice(0, 2))!;
}
