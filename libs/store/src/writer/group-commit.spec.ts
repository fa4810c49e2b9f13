import type { BatchToStore, StoreResult } from './rows-and-rollups.writer.js';
import { GroupCommit } from './group-commit.js';

/** A write that the test finishes (or fails) by hand, so it can see what waits and what is grouped. */
class ManualWrites {
  calls: { batches: readonly BatchToStore[]; finish(): void; fail(err: Error): void }[] = [];
  running = 0;
  maxRunning = 0;
  /** Batches named here fail whenever they are written. */
  poisoned = new Set<string>();

  readonly write = (batches: readonly BatchToStore[]): Promise<StoreResult[]> => {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise((resolve, reject) => {
      const done = () => this.running--;
      this.calls.push({
        batches,
        finish: () => {
          done();
          if (batches.some((b) => this.poisoned.has(b.receivedAt))) reject(new Error('poisoned batch'));
          else resolve(batches.map((b) => ({ inserted: [], duplicates: b.records.length, conflicting: [], via: 'copy' as const })));
        },
        fail: (err) => {
          done();
          reject(err);
        },
      });
    });
  };

  /** Names of the batches each write call got, e.g. [['a'], ['b', 'c']]. */
  get groups(): string[][] {
    return this.calls.map((c) => c.batches.map((b) => b.receivedAt));
  }
}

/** A batch of n placeholder records, named by its receivedAt. */
const batch = (name: string, n = 1): BatchToStore => ({
  records: Array.from({ length: n }, () => ({}) as BatchToStore['records'][number]),
  receivedAt: name,
});
const tick = () => new Promise((r) => setImmediate(r));
/** In these tests a 'poisoned batch' error is about the data; anything else is the database being away. */
const mayBeOneBatch = (err: unknown) => (err as Error).message === 'poisoned batch';

describe('GroupCommit', () => {
  it('writes a batch at once when a slot is free, and groups the batches that arrive while every slot is busy', async () => {
    const writes = new ManualWrites();
    const commit = new GroupCommit(writes.write, { writesInFlight: 2, maxRecords: 100, mayBeOneBatch });
    const results = ['a', 'b', 'c', 'd', 'e'].map((name) => commit.store(batch(name, 10)));
    await tick();
    expect(writes.groups).toEqual([['a'], ['b']]);
    writes.calls[0].finish();
    await tick();
    expect(writes.groups).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    writes.calls[1].finish();
    writes.calls[2].finish();
    expect((await Promise.all(results)).map((r) => r.duplicates)).toEqual([10, 10, 10, 10, 10]);
    expect(writes.maxRunning).toBe(2);
  });

  it('keeps a group within maxRecords, and writes a batch larger than that alone', async () => {
    const writes = new ManualWrites();
    const commit = new GroupCommit(writes.write, { writesInFlight: 1, maxRecords: 100, mayBeOneBatch });
    const results = [batch('busy', 1), batch('a', 60), batch('b', 40), batch('c', 1), batch('huge', 500), batch('d', 1)].map((b) =>
      commit.store(b),
    );
    for (let i = 0; i < 5; i++) {
      await tick();
      writes.calls[i].finish();
    }
    await Promise.all(results);
    expect(writes.groups).toEqual([['busy'], ['a', 'b'], ['c'], ['huge'], ['d']]);
  });

  it('retries a failed group one batch at a time, so only the bad batch fails', async () => {
    const writes = new ManualWrites();
    writes.poisoned.add('bad');
    const commit = new GroupCommit(writes.write, { writesInFlight: 1, maxRecords: 100, mayBeOneBatch });
    const outcomes = ['busy', 'good1', 'bad', 'good2'].map((name) =>
      commit.store(batch(name)).then(
        () => 'stored',
        (err: Error) => err.message,
      ),
    );
    for (let i = 0; i < 5; i++) {
      await tick();
      writes.calls[i]?.finish();
    }
    expect(await Promise.all(outcomes)).toEqual(['stored', 'stored', 'poisoned batch', 'stored']);
    expect(writes.groups).toEqual([['busy'], ['good1', 'bad', 'good2'], ['good1'], ['bad'], ['good2']]);
  });

  it('fails a batch written alone with its own error, and keeps going with the next', async () => {
    const writes = new ManualWrites();
    const commit = new GroupCommit(writes.write, { writesInFlight: 1, maxRecords: 100, mayBeOneBatch });
    const first = commit.store(batch('a'));
    const second = commit.store(batch('b'));
    await tick();
    writes.calls[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    writes.calls[1].finish();
    await expect(second).resolves.toMatchObject({ duplicates: 1 });
  });

  it('fails a whole group at once when the database itself failed, without trying each batch again', async () => {
    const writes = new ManualWrites();
    const commit = new GroupCommit(writes.write, { writesInFlight: 1, maxRecords: 100, mayBeOneBatch });
    const outcomes = ['busy', 'a', 'b', 'c'].map((name) =>
      commit.store(batch(name)).then(
        () => 'stored',
        (err: Error) => err.message,
      ),
    );
    await tick();
    writes.calls[0].finish();
    await tick();
    writes.calls[1].fail(new Error('Connection terminated unexpectedly'));
    expect(await Promise.all(outcomes)).toEqual([
      'stored',
      'Connection terminated unexpectedly',
      'Connection terminated unexpectedly',
      'Connection terminated unexpectedly',
    ]);
    expect(writes.groups).toEqual([['busy'], ['a', 'b', 'c']]);
  });
});
