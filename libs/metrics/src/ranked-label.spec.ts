import { OTHER, RankedLabel } from './ranked-label.js';

/** Adds `records` of `value`, then asks for its label, as RequestMetrics does per batch. */
const see = (label: RankedLabel, value: string, records = 1) => {
  label.add(value, records);
  return label.label(value);
};

describe('RankedLabel', () => {
  it('admits values on sight while there is room, then folds newcomers into "other" until a re-rank', () => {
    const label = new RankedLabel(2);
    expect(['/a', '/b', '/a', '/c', '/b', '/d'].map((v) => see(label, v))).toEqual(['/a', '/b', '/a', OTHER, '/b', OTHER]);
  });

  it('gives a label back to a real value once junk stops, without a restart', () => {
    const label = new RankedLabel(3);
    for (let i = 0; i < 250; i++) see(label, `junk_${i}`, 2);
    expect(see(label, 'conflict')).toBe(OTHER);
    label.rerank(0.5); // junk stopped: each junk value decays to 1 (×2 while admitted); conflict has 1
    see(label, 'conflict', 3);
    expect(label.label('conflict')).toBe(OTHER);
    const evicted = label.rerank(0.5);
    expect(evicted).toHaveLength(1);
    expect(see(label, 'conflict')).toBe('conflict');
  });

  it('keeps an admitted value against a challenger of about the same volume (no flapping)', () => {
    const label = new RankedLabel(1);
    see(label, 'incumbent', 10);
    see(label, 'challenger', 15);
    expect(label.rerank(1)).toEqual([]);
    expect(label.label('incumbent')).toBe('incumbent');
    see(label, 'challenger', 10);
    expect(label.rerank(1)).toEqual(['incumbent']);
    expect(label.label('challenger')).toBe('challenger');
  });

  it('stays bounded under a flood of one-off values, and still finds a steady value in it', () => {
    const label = new RankedLabel(5);
    for (let i = 0; i < 5; i++) see(label, `first_${i}`);
    for (let i = 0; i < 100_000; i++) {
      see(label, `junk_${i}`);
      if (i % 1000 === 0) see(label, 'steady');
    }
    label.rerank(1);
    expect(label.label('steady')).toBe('steady');
    // The flood left at most the admitted values + 2 × max(4 × 5, 64) behind.
    expect(label.tracked).toBeLessThanOrEqual(5 + 128);
  });
});
