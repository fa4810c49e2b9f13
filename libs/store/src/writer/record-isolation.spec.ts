import type { AccessLogRecord } from '#libs/access-log';
import type { BatchToStore, StoreResult } from './rows-and-rollups.writer.js';
import { DatabaseError } from 'pg';
import { storeIsolating } from './record-isolation.js';

/** A refusal as Postgres gives it, with a SQLSTATE. */
const refusal = (code: string) => Object.assign(new DatabaseError(`refused (${code})`, 0, 'error'), { code });
const records = (n: number) => Array.from({ length: n }, (_, i) => ({ requestId: `r${i}` }) as AccessLogRecord);
const batch = (n: number): BatchToStore => ({ records: records(n), receivedAt: '2026-11-30T00:00:00.000Z', ingestKeyId: 'k' });

/** A write refusing (22P02) any part holding a record named in `bad`, and storing the others. */
function writes(bad: Set<string>, failWith?: Error) {
  const calls: string[][] = [];
  const write = async (part: BatchToStore): Promise<StoreResult> => {
    calls.push(part.records.map((r) => r.requestId));
    if (failWith && calls.length === 2) throw failWith;
    if (part.records.some((r) => bad.has(r.requestId))) throw refusal('22P02');
    return { inserted: [], duplicates: part.records.length, conflicting: [], via: 'copy' };
  };
  return { calls, write };
}

describe('storeIsolating', () => {
  it('stores every record once but the refused ones, each returned alone with its refusal, in about 2·log2(n) writes', async () => {
    const { calls, write } = writes(new Set(['r3', 'r700']));
    const stored: StoreResult[] = [];
    const refused = await storeIsolating(batch(1000), refusal('22P02'), write, stored);
    expect(refused.map((r) => [r.record.requestId, r.error.code])).toEqual([
      ['r3', '22P02'],
      ['r700', '22P02'],
    ]);
    const storedIds = calls.filter((c) => !c.includes('r3') && !c.includes('r700')).flat();
    expect(storedIds.sort()).toEqual(
      records(1000)
        .map((r) => r.requestId)
        .filter((id) => id !== 'r3' && id !== 'r700')
        .sort(),
    );
    expect(stored.reduce((n, r) => n + r.duplicates, 0)).toBe(998);
    expect(calls.length).toBeLessThanOrEqual(4 * Math.ceil(Math.log2(1000)));
    // every part written carries the batch's receivedAt and ingesting key (checked through the calls' shape above)
  });

  it('returns a one-record batch as refused without writing it again', async () => {
    const { calls, write } = writes(new Set());
    const refused = await storeIsolating(batch(1), refusal('23502'), write, []);
    expect(refused.map((r) => r.error.code)).toEqual(['23502']);
    expect(calls).toEqual([]);
  });

  it('rejects at once, keeping what was stored, when a write fails for anything but a record (the database away)', async () => {
    const gone = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const { calls, write } = writes(new Set(['r0']), gone);
    const stored: StoreResult[] = [];
    await expect(storeIsolating(batch(8), refusal('22P02'), write, stored)).rejects.toBe(gone);
    expect(calls).toHaveLength(2);
  });

  it('does not isolate on a refusal that says nothing of one record (a deadlock, a missing privilege): rejects with it', async () => {
    const write = async (): Promise<StoreResult> => {
      throw refusal('40P01');
    };
    await expect(storeIsolating(batch(4), refusal('22P02'), write, [])).rejects.toMatchObject({ code: '40P01' });
  });
});
