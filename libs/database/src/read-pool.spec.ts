import pg from 'pg';
import { ReadPool } from './read-pool.js';

/** A pool that answers `rows`, or fails with `error`, and counts its queries. */
class FakePool {
  queries = 0;
  error?: Error;
  constructor(private readonly rows: unknown[]) {}

  async query() {
    this.queries++;
    if (this.error) throw this.error;
    return { rows: this.rows };
  }

  async end() {}
}

function sqlError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('refused', 0, 'error');
  error.code = code;
  return error;
}

function setUp(replicaRows: unknown[] = [{ on: 'replica' }]) {
  const primary = new FakePool([{ on: 'primary' }]);
  const replica = new FakePool(replicaRows);
  const reads = new ReadPool(primary as unknown as pg.Pool, replica as unknown as pg.Pool);
  return { primary, replica, reads };
}

describe('ReadPool', () => {
  it('reads the primary when no replica is configured', async () => {
    const primary = new FakePool([{ on: 'primary' }]);
    const reads = new ReadPool(primary as unknown as pg.Pool, null);
    expect((await reads.queryFreshOnMiss('SELECT')).rows).toEqual([{ on: 'primary' }]);
    expect(primary.queries).toBe(1);
    expect(reads.hasReplica).toBe(false);
  });

  it('reads the replica, and asks the primary only for a lookup the replica misses', async () => {
    const found = setUp();
    expect((await found.reads.queryFreshOnMiss('SELECT')).rows).toEqual([{ on: 'replica' }]);
    expect(found.primary.queries).toBe(0);
    const missed = setUp([]);
    expect((await missed.reads.query('SELECT')).rows).toEqual([]);
    expect((await missed.reads.queryFreshOnMiss('SELECT')).rows).toEqual([{ on: 'primary' }]);
    expect(missed.primary.queries).toBe(1);
  });

  it('sends reads to the primary while the replica cannot answer, and back once it answers', async () => {
    const { primary, replica, reads } = setUp();
    replica.error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });
    expect((await reads.query('SELECT')).rows).toEqual([{ on: 'primary' }]);
    // Skipped now: the next read does not wait for the replica again.
    expect((await reads.query('SELECT')).rows).toEqual([{ on: 'primary' }]);
    expect(replica.queries).toBe(1);
    replica.error = undefined;
    expect(await reads.replicaAnswers()).toBe(true);
    expect((await reads.query('SELECT')).rows).toEqual([{ on: 'replica' }]);
    expect(primary.queries).toBe(2);
    await reads.close();
  });

  it.each([
    ['a replica shutting down', '57P01'],
    ['a replica starting up', '57P03'],
    ['too many connections', '53300'],
    ['a lost connection', '08006'],
  ])('treats %s as the replica unavailable', async (_what, code) => {
    const { replica, reads } = setUp();
    replica.error = sqlError(code);
    expect((await reads.query('SELECT')).rows).toEqual([{ on: 'primary' }]);
    await reads.query('SELECT');
    expect(replica.queries).toBe(1);
    await reads.close();
  });

  it('runs a statement cancelled for a conflict with recovery again on the primary, and keeps the replica', async () => {
    const { replica, reads } = setUp();
    replica.error = sqlError('40001');
    expect((await reads.query('SELECT')).rows).toEqual([{ on: 'primary' }]);
    replica.error = undefined;
    expect((await reads.query('SELECT')).rows).toEqual([{ on: 'replica' }]);
  });

  it("answers with the replica's error when the primary would fail the same way (statement timeout, bad data)", async () => {
    for (const code of ['57014', '22P02']) {
      const { primary, replica, reads } = setUp();
      replica.error = sqlError(code);
      await expect(reads.query('SELECT')).rejects.toBe(replica.error);
      expect(primary.queries).toBe(0);
    }
  });
});
