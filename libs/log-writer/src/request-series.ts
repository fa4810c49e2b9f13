import { type Family, type FamilySource, HistogramCell, type Labels, OTHER, SeriesBudget, SeriesTable } from '#libs/metrics';

/** The method label's values: the standard seven, anything else is `other`. */
export const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_CLASSES = 5;
/** Latency buckets (seconds) of verilock_api_request_duration_seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CELL_SAMPLES = HistogramCell.samplesPerCell(DURATION_BUCKETS);
/**
 * verilock_api_retry_after_seconds (prom-client, RequestMetrics): 2 statuses × (9 buckets + 3),
 * outside the tables but inside the budget.
 */
export const RETRY_AFTER_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 900, 3600];
const RETRY_AFTER_SAMPLES = 2 * (RETRY_AFTER_BUCKETS.length + 3);
/** Samples of the fully folded series: one request counter and one latency cell per method × class, one key counter per class. */
const RESERVE = (KNOWN_METHODS.size + 1) * STATUS_CLASSES * (1 + CELL_SAMPLES) + STATUS_CLASSES + RETRY_AFTER_SAMPLES;

/** A stored record's labels, after the label caps (route, error_code and api_key may already be `other`). */
export interface RequestLabels {
  method: string;
  route: string;
  status: string;
  status_class: string;
  error_code: string;
  api_key: string;
}

/** Which label a record was counted under `other` for, and why. */
export type FoldReason = 'label_cap' | 'series_budget';
export type FoldListener = (label: string, reason: FoldReason, records: number) => void;

/**
 * The series of the three large request metrics, within one budget (METRICS_MAX_SERIES). A record
 * whose series does not fit is counted under `other` for its least significant label first — api_key;
 * error_code, then route, then status on the request counter; route on the latency histogram — down to
 * the fully folded series, whose room is reserved.
 */
export class RequestSeries implements FamilySource {
  readonly budget: SeriesBudget;
  private readonly requests: SeriesTable<{ value: number }>;
  private readonly byApiKey: SeriesTable<{ value: number }>;
  private readonly duration: SeriesTable<HistogramCell>;

  constructor(
    maxSeries: number,
    private readonly onFold: FoldListener,
  ) {
    this.budget = new SeriesBudget(maxSeries, RESERVE);
    this.requests = new SeriesTable(this.budget, 1, () => ({ value: 0 }));
    this.byApiKey = new SeriesTable(this.budget, 1, () => ({ value: 0 }));
    this.duration = new SeriesTable(this.budget, CELL_SAMPLES, () => new HistogramCell(DURATION_BUCKETS, 'request_id'));
  }

  /** Adds `records` responses to the two counters; returns the latency cell to observe them into. */
  count(l: RequestLabels, records: number): HistogramCell {
    const { method, status, status_class } = l;
    // The folded candidates are built only when the exact series is missing and does not fit (rare):
    // this runs once per label set of every stored batch.
    this.find(this.requests, records, { method, route: l.route, status, status_class, error_code: l.error_code }, () => [
      ['error_code', { method, route: l.route, status, status_class, error_code: OTHER }],
      ['route', { method, route: OTHER, status, status_class, error_code: OTHER }],
      ['status', { method, route: OTHER, status: OTHER, status_class, error_code: OTHER }],
    ]).value += records;
    this.find(this.byApiKey, records, { api_key: l.api_key, status, status_class }, () => [
      ['api_key', { api_key: OTHER, status, status_class }],
      ['status', { api_key: OTHER, status: OTHER, status_class }],
    ]).value += records;
    return this.find(this.duration, records, { method, route: l.route, status_class }, () => [
      ['route', { method, route: OTHER, status_class }],
    ]);
  }

  /** Drops the series carrying a value that lost its label (its records now count under `other`). */
  removeValues(evicted: { route: Set<string>; error_code: Set<string>; api_key: Set<string> }): void {
    const carries = (labels: Labels) =>
      Object.entries(evicted).some(([name, values]) => labels[name] !== OTHER && values.has(String(labels[name])));
    for (const table of [this.requests, this.byApiKey, this.duration]) table.removeWhere(carries);
  }

  /** Drops the series not counted in since the last re-rank (when the budget refused one since). */
  removeIdle(): void {
    const idle = (_: Labels, generation: number) => generation < this.budget.generation;
    for (const table of [this.requests, this.byApiKey, this.duration]) table.removeWhere(idle);
  }

  families(): Family[] {
    const { requests, byApiKey, duration } = this;
    const counter = (table: SeriesTable<{ value: number }>, name: string) =>
      function* () {
        for (const { labels, value } of table.entries()) yield { name, labels, value: value.value };
      };
    const latency = 'verilock_api_request_duration_seconds';
    return [
      {
        name: 'verilock_api_requests_total',
        help: 'Responses of the Verilock API, from stored access-log records.',
        type: 'counter',
        samples: counter(requests, 'verilock_api_requests_total'),
      },
      {
        name: 'verilock_api_key_requests_total',
        help: 'Responses of the Verilock API per caller API key id, from stored access-log records.',
        type: 'counter',
        samples: counter(byApiKey, 'verilock_api_key_requests_total'),
      },
      {
        name: latency,
        help: 'Time the Verilock API took to answer, from stored access-log records; exemplars carry the request id.',
        type: 'histogram',
        *samples() {
          for (const { labels, value } of duration.entries()) yield* value.samples(latency, labels);
        },
      },
    ];
  }

  /**
   * The series of `exact` if it exists or fits, else the first of `folds` that does: each with one more
   * label folded (named first) than the one before, the last being reserved. A fold that changes
   * nothing is skipped.
   */
  private find<V>(table: SeriesTable<V>, records: number, exact: Labels, folds: () => [string, Labels][]): V {
    const series = table.find(exact, false);
    if (series) return series;
    const candidates = folds();
    let previous = exact;
    for (let i = 0; i < candidates.length; i++) {
      const [folded, labels] = candidates[i];
      const last = i === candidates.length - 1;
      const unchanged = previous[folded] === OTHER;
      previous = labels;
      if (unchanged && !last) continue;
      if (!unchanged) this.onFold(folded, 'series_budget', records);
      const found = table.find(labels, last);
      if (found) return found;
    }
    throw new Error('unreachable: the last candidate is reserved');
  }
}
