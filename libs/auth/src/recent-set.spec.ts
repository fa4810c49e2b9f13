import { RecentSet } from './recent-set.js';

describe('RecentSet', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('remembers an entry for its TTL, then forgets it', () => {
    const set = new RecentSet(5_000, 10, clock);
    set.add('a');
    now += 4_999;
    expect(set.has('a')).toBe(true);
    now += 1;
    expect(set.has('a')).toBe(false);
    expect(set.size).toBe(0);
  });

  it('holds at most maxEntries, forgetting the oldest first', () => {
    const set = new RecentSet(60_000, 3, clock);
    for (const v of ['a', 'b', 'c', 'd']) {
      set.add(v);
      now += 1;
    }
    expect(set.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((v) => set.has(v))).toEqual([false, true, true, true]);
  });

  it('re-adding an entry renews it and makes it the newest', () => {
    const set = new RecentSet(10, 2, clock);
    set.add('a');
    set.add('b');
    now += 5;
    set.add('a');
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c')]).toEqual([true, false, true]);
    now += 9;
    expect(set.has('a')).toBe(true);
  });

  it('remembers nothing with a TTL of 0 (the cache switched off)', () => {
    const set = new RecentSet(0, 10, clock);
    set.add('a');
    expect(set.has('a')).toBe(false);
  });
});
