import type { AppRegistry } from './metrics-registry.js';

type Labels = Record<string, string>;

interface Exemplar {
  labelSet: Labels;
  value: number;
  timestamp: number;
}

/** One value line as prom-client's registry renders it (the shape its own Histogram produces). */
interface ValueLine {
  labels: Record<string, string | number>;
  sharedLabels?: Labels;
  value: number;
  metricName: string;
  exemplar?: Exemplar | null;
}

/** One label set of a BatchHistogram: per-bucket counts, sum, count, and the last exemplar per bucket. */
export class HistogramCell {
  /** Observations per bucket, not cumulative; the last slot is above the highest bound (+Inf). */
  private readonly counts: number[];
  private readonly exemplars: (Exemplar | null)[];
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    private readonly exemplarLabel: string | undefined,
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
    this.exemplars = new Array<Exemplar | null>(bounds.length + 1).fill(null);
  }

  /**
   * Adds one observation. With `exemplarValue` (e.g. a request id) it becomes its bucket's exemplar,
   * stamped `at` (seconds since the epoch, one reading per batch is enough).
   */
  observe(value: number, exemplarValue?: string, at?: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
    if (exemplarValue !== undefined && this.exemplarLabel !== undefined) {
      this.exemplars[i] = { labelSet: { [this.exemplarLabel]: exemplarValue }, value, timestamp: at ?? Date.now() / 1000 };
    }
  }

  lines(name: string, labels: Labels): ValueLine[] {
    const lines: ValueLine[] = [];
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += this.counts[i]!;
      lines.push({ labels: { le }, sharedLabels: labels, value: cumulative, metricName: `${name}_bucket`, exemplar: this.exemplars[i] });
    });
    lines.push({ labels: { le: '+Inf' }, sharedLabels: labels, value: this.count, metricName: `${name}_bucket`, exemplar: this.exemplars[this.bounds.length] });
    lines.push({ labels: {}, sharedLabels: labels, value: this.sum, metricName: `${name}_sum` });
    lines.push({ labels: {}, sharedLabels: labels, value: this.count, metricName: `${name}_count` });
    return lines;
  }
}

export interface BatchHistogramOptions {
  name: string;
  help: string;
  labelNames: readonly string[];
  buckets: readonly number[];
  /** Name of the one exemplar label (e.g. request_id); none when absent. */
  exemplarLabel?: string;
  registers: AppRegistry[];
}

/**
 * A Prometheus histogram for the worker's per-record observations. prom-client's Histogram looks
 * up its label set on every observe() (validating and joining the labels each time: ~20% of the
 * worker's CPU in bench:ingest); here the caller resolves a label set's cell once per batch and
 * observes each value into it. It renders exactly as prom-client's Histogram does for the same
 * observations (the spec compares both), through the same registry.
 */
export class BatchHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly string[];
  private readonly bounds: readonly number[];
  private readonly exemplarLabel: string | undefined;
  private cells = new Map<string, { labels: Labels; cell: HistogramCell }>();

  constructor(options: BatchHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    this.bounds = [...options.buckets].sort((a, b) => a - b);
    this.exemplarLabel = options.exemplarLabel;
    // Like prom-client's, a histogram without labels shows its zero buckets before any observation.
    if (this.labelNames.length === 0) this.cell({});
    for (const registry of options.registers) registry.registerMetric(this as unknown as Parameters<AppRegistry['registerMetric']>[0]);
  }

  /** The cell of one label set (every label name given), created empty on first use. */
  cell(labels: Labels): HistogramCell {
    // NUL never occurs in a label value here (validation rejects it in stored values).
    const key = this.labelNames.map((n) => labels[n]).join('\0');
    let entry = this.cells.get(key);
    if (!entry) {
      const missing = this.labelNames.filter((n) => labels[n] === undefined);
      if (missing.length > 0 || Object.keys(labels).length !== this.labelNames.length) {
        throw new Error(`${this.name}: labels ${JSON.stringify(labels)} do not match ${this.labelNames.join(', ')}`);
      }
      entry = { labels: { ...labels }, cell: new HistogramCell(this.bounds, this.exemplarLabel) };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  reset(): void {
    this.cells = new Map();
    if (this.labelNames.length === 0) this.cell({});
  }

  /** What the registry renders (shared labels kept apart, as prom-client's Histogram gives them). */
  async getForPromString() {
    const values = [...this.cells.values()].flatMap(({ labels, cell }) => cell.lines(this.name, labels));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The same with every line's labels in one object, as prom-client's get() gives them. */
  async get() {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ sharedLabels, labels, ...line }) => ({ ...line, labels: { ...labels, ...sharedLabels } })) };
  }
}
