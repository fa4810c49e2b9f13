import type { Exemplar, Family, Labels, Sample } from './exposition.js';
import type { FamilySource } from './metrics-registry.js';

/** One label set of a histogram: per-bucket counts, sum, count, and the last exemplar per bucket. */
export class HistogramCell {
  /** Observations per bucket, not cumulative; the last slot is above the highest bound (+Inf). */
  private readonly counts: number[];
  /**
   * Each bucket's last exemplar, as three parallel slots: observe() runs once per stored record and
   * must not allocate (two objects per record were ~3% of the worker's CPU); samples() builds them.
   */
  private readonly exemplarIds: (string | null)[];
  private readonly exemplarValues: number[];
  private readonly exemplarTimes: number[];
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    private readonly exemplarLabel: string | undefined,
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
    this.exemplarIds = new Array<string | null>(bounds.length + 1).fill(null);
    this.exemplarValues = new Array<number>(bounds.length + 1).fill(0);
    this.exemplarTimes = new Array<number>(bounds.length + 1).fill(0);
  }

  /** Samples one cell exposes: a bucket per bound, +Inf, sum and count. */
  static samplesPerCell(buckets: readonly number[]): number {
    return buckets.length + 3;
  }

  /**
   * Adds one observation. With `exemplarValue` (e.g. a request id) it becomes its bucket's exemplar,
   * stamped `at` (seconds since the epoch, one reading per batch is enough).
   */
  observe(value: number, exemplarValue?: string, at?: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
    if (exemplarValue !== undefined && this.exemplarLabel !== undefined) {
      this.exemplarIds[i] = exemplarValue;
      this.exemplarValues[i] = value;
      this.exemplarTimes[i] = at ?? Date.now() / 1000;
    }
  }

  *samples(name: string, labels: Labels): Generator<Sample> {
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i];
      yield { name: `${name}_bucket`, le: this.bounds[i], labels, value: cumulative, exemplar: this.exemplar(i) };
    }
    yield { name: `${name}_bucket`, le: '+Inf', labels, value: this.count, exemplar: this.exemplar(this.bounds.length) };
    yield { name: `${name}_sum`, labels, value: this.sum };
    yield { name: `${name}_count`, labels, value: this.count };
  }

  private exemplar(bucket: number): Exemplar | null {
    const id = this.exemplarIds[bucket];
    if (id === null || this.exemplarLabel === undefined) return null;
    return { labelSet: { [this.exemplarLabel]: id }, value: this.exemplarValues[bucket], timestamp: this.exemplarTimes[bucket] };
  }
}

export interface BatchHistogramOptions {
  name: string;
  help: string;
  labelNames: readonly string[];
  buckets: readonly number[];
  /** Name of the one exemplar label (e.g. request_id); none when absent. */
  exemplarLabel?: string;
}

/**
 * A Prometheus histogram for the worker's per-record observations. prom-client's Histogram looks
 * up its label set on every observe() (validating and joining the labels each time: ~20% of the
 * worker's CPU in bench:ingest); here the caller resolves a label set's cell once per batch and
 * observes each value into it. It renders exactly as prom-client's Histogram does for the same
 * observations (the spec compares both); add it to the app's MetricSources.
 */
export class BatchHistogram implements FamilySource {
  private readonly bounds: readonly number[];
  private readonly cells = new Map<string, { labels: Labels; cell: HistogramCell }>();

  constructor(private readonly options: BatchHistogramOptions) {
    this.bounds = [...options.buckets].sort((a, b) => a - b);
    // Like prom-client's, a histogram without labels shows its zero buckets before any observation.
    if (options.labelNames.length === 0) this.cell({});
  }

  /** The cell of one label set (every label name given), created empty on first use. */
  cell(labels: Record<string, string>): HistogramCell {
    // NUL never occurs in a label value here (validation rejects it in stored values).
    const key = this.options.labelNames.map((n) => labels[n]).join('\0');
    let entry = this.cells.get(key);
    if (!entry) {
      const missing = this.options.labelNames.filter((n) => labels[n] === undefined);
      if (missing.length > 0 || Object.keys(labels).length !== this.options.labelNames.length) {
        throw new Error(`${this.options.name}: labels ${JSON.stringify(labels)} do not match ${this.options.labelNames.join(', ')}`);
      }
      entry = { labels: { ...labels }, cell: new HistogramCell(this.bounds, this.options.exemplarLabel) };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  families(): Family[] {
    const { name, help } = this.options;
    const cells = this.cells;
    return [
      {
        name,
        help,
        type: 'histogram',
        *samples() {
          for (const { labels, cell } of cells.values()) yield* cell.samples(name, labels);
        },
      },
    ];
  }
}
