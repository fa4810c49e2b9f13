/** The label value every value without a series of its own is counted under. */
export const OTHER = 'other';

/** An admitted value's volume counts this many times when ranking, so near-equals do not swap labels at every re-rank. */
const INCUMBENT_ADVANTAGE = 2;
/** A value not admitted whose decayed volume fell below this is forgotten (about 7 halvings of one record). */
const FORGET_BELOW = 0.01;

/**
 * The values of one label (route, error code or API key) that get series of their own: at most `max`,
 * chosen by recent volume rather than first come. Each value's record count is kept (space-saving
 * style: the largest `4 × max` plus the admitted ones; smaller ones are pruned in bulk) and decayed at
 * every re-rank, so old volume fades. While fewer than `max` values are admitted, a new value is
 * admitted on sight (honest traffic never waits); once full, only a re-rank changes the set: the `max`
 * values of highest decayed volume, an admitted value counting INCUMBENT_ADVANTAGE times its volume.
 */
export class RankedLabel {
  private readonly volumes = new Map<string, number>();
  private admitted = new Set<string>();
  private readonly capacity: number;

  constructor(private readonly max: number) {
    this.capacity = Math.max(4 * max, 64);
  }

  /** Values whose volume is kept now (bounded: admitted ones plus at most 2 × capacity). */
  get tracked(): number {
    return this.volumes.size;
  }

  /** Adds `records` to `value`'s recent volume. */
  add(value: string, records: number): void {
    this.volumes.set(value, (this.volumes.get(value) ?? 0) + records);
    if (this.volumes.size > 2 * this.capacity) this.prune();
  }

  /** The label value `value` is counted under now: itself when admitted (or a slot is free), else OTHER. */
  label(value: string): string {
    if (this.admitted.has(value)) return value;
    if (this.admitted.size >= this.max) return OTHER;
    this.admitted.add(value);
    return value;
  }

  /** Multiplies every volume by `decay` (0–1) and admits the `max` values of highest volume; returns the values that lost their label. */
  rerank(decay: number): string[] {
    for (const [value, volume] of this.volumes) {
      if (volume * decay < FORGET_BELOW && !this.admitted.has(value)) this.volumes.delete(value);
      else this.volumes.set(value, volume * decay);
    }
    const score = ([value, volume]: [string, number]) => (this.admitted.has(value) ? volume * INCUMBENT_ADVANTAGE : volume);
    const ranked = [...this.volumes].sort((a, b) => score(b) - score(a));
    const next = new Set(ranked.slice(0, this.max).map(([value]) => value));
    const evicted = [...this.admitted].filter((value) => !next.has(value));
    this.admitted = next;
    return evicted;
  }

  /** Keeps the admitted values and the `capacity` largest others: a flood of one-off values cannot grow the map. */
  private prune(): void {
    const others = [...this.volumes].filter(([value]) => !this.admitted.has(value)).sort((a, b) => b[1] - a[1]);
    for (const [value] of others.slice(this.capacity)) this.volumes.delete(value);
  }
}
