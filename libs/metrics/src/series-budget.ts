import type { Labels } from './exposition.js';

/**
 * The request metrics' total series budget (METRICS_MAX_SERIES), in exposition samples: a counter
 * series costs 1, a histogram cell one per bucket plus sum and count. `reserve` samples are kept for
 * the fully folded series (every foldable label `other`), which always exist when needed, so the
 * total never passes `limit`.
 */
export class SeriesBudget {
  private unreserved = 0;
  private reserved = 0;
  /** Bumped at every re-rank: a series remembers the generation it was last counted in. */
  generation = 0;
  /** Whether a series was refused since the last re-rank (then idle series are dropped at the next). */
  refused = false;

  constructor(
    readonly limit: number,
    private readonly reserve: number,
  ) {
    if (limit < reserve) throw new Error(`a series budget of ${limit} cannot hold the ${reserve} samples of the folded series`);
  }

  get used(): number {
    return this.unreserved + this.reserved;
  }

  take(cost: number, reserved: boolean): boolean {
    if (reserved) this.reserved += cost;
    else if (this.unreserved + cost <= this.limit - this.reserve) this.unreserved += cost;
    else {
      this.refused = true;
      return false;
    }
    return true;
  }

  give(cost: number, reserved: boolean): void {
    if (reserved) this.reserved -= cost;
    else this.unreserved -= cost;
  }
}

interface Row<V> {
  labels: Labels;
  value: V;
  generation: number;
  reserved: boolean;
}

/** The series of one metric family, created only while the budget has room for them. */
export class SeriesTable<V> {
  private readonly rows = new Map<string, Row<V>>();

  constructor(
    private readonly budget: SeriesBudget,
    private readonly cost: number,
    private readonly create: () => V,
  ) {}

  /**
   * The series of `labels` (always given in the same key order), created if the budget allows or it is
   * `reserved`; undefined when it does not fit.
   */
  find(labels: Labels, reserved = false): V | undefined {
    // NUL never occurs in a label value here (validation rejects it in stored values).
    const key = Object.values(labels).join('\0');
    const row = this.rows.get(key);
    if (row) {
      row.generation = this.budget.generation;
      return row.value;
    }
    if (!this.budget.take(this.cost, reserved)) return undefined;
    const value = this.create();
    this.rows.set(key, { labels, value, generation: this.budget.generation, reserved });
    return value;
  }

  /**
   * Removes the series `drop` selects (given each one's labels and last generation), giving their samples
   * back. The fully folded (reserved) series are never removed: their room is kept anyway, and they
   * hold what was counted under `other`.
   */
  removeWhere(drop: (labels: Labels, generation: number) => boolean): void {
    for (const [key, row] of this.rows) {
      if (row.reserved || !drop(row.labels, row.generation)) continue;
      this.rows.delete(key);
      this.budget.give(this.cost, row.reserved);
    }
  }

  *entries(): Generator<{ labels: Labels; value: V }> {
    for (const { labels, value } of this.rows.values()) yield { labels, value };
  }
}
