import { Counter, Gauge, Histogram } from 'prom-client';
import { statusClass } from '#libs/access-log';
import { type AppRegistry, type MetricSources, OTHER, RankedLabel } from '#libs/metrics';
import { type InsertedRow, mapUnder } from '#libs/store';
import { KNOWN_METHODS, RETRY_AFTER_BUCKETS, RequestSeries } from './request-series.js';
import type { RequestMetricsConfig } from './request-metrics.config.js';

/** OpenMetrics caps an exemplar's label names + values at 128 characters. */
const MAX_EXEMPLAR_ID = 128 - 'request_id'.length;
/** The label value of an absent error code or API key: always its own series, outside the caps. */
const NONE = 'none';

/**
 * What the Verilock API answered, derived from the access-log rows really stored: request counts,
 * latency, 429/503 Retry-After. Routes, API keys and error codes keep their METRICS_MAX_* values of
 * highest recent volume (re-ranked every METRICS_LABEL_RERANK_SECONDS), the series of all three
 * metrics together stay within METRICS_MAX_SERIES; what does not fit is counted under `other`.
 */
export class RequestMetrics {
  private readonly labels: { route: RankedLabel; error_code: RankedLabel; api_key: RankedLabel };
  private readonly series: RequestSeries;
  private readonly retryAfter: Histogram;
  private readonly folded: Counter;
  private readonly rerankMs: number;
  private lastRerank: number;

  /** `now` is the clock re-ranks are timed by (the spec's is manual). */
  constructor(
    registry: AppRegistry,
    sources: MetricSources,
    limits: RequestMetricsConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.lastRerank = now();
    this.labels = {
      route: new RankedLabel(limits.maxRoutes),
      error_code: new RankedLabel(limits.maxErrorCodes),
      api_key: new RankedLabel(limits.maxApiKeys),
    };
    this.rerankMs = limits.labelRerankSeconds * 1000;
    const registers = [registry];
    this.folded = new Counter({
      name: 'verilock_metrics_folded_records_total',
      help:
        'Stored records counted under "other" for a label: ' +
        'reason="label_cap" (not among the METRICS_MAX_* values of highest recent volume; once per record) ' +
        'or "series_budget" (no room in METRICS_MAX_SERIES; once per metric it was folded in).',
      labelNames: ['label', 'reason'],
      registers,
    });
    this.series = new RequestSeries(limits.maxSeries, (label, reason, records) => this.folded.inc({ label, reason }, records));
    sources.add(this.series);
    const budget = this.series.budget;
    new Gauge({
      name: 'verilock_metrics_series',
      help:
        'Samples the request counters and latency histogram expose now (a latency cell is 15); ' +
        'with the Retry-After histogram at most METRICS_MAX_SERIES.',
      registers,
      collect() {
        this.set(budget.used);
      },
    });
    new Gauge({
      name: 'verilock_metrics_series_limit',
      help: 'METRICS_MAX_SERIES: the most samples the request metrics may expose.',
      registers,
    }).set(budget.limit);
    this.retryAfter = new Histogram({
      name: 'verilock_api_retry_after_seconds',
      help: 'Retry-After the Verilock API gave with its 429 and 503 responses (responses without one are not observed).',
      labelNames: ['status'],
      buckets: RETRY_AFTER_BUCKETS,
      registers,
    });
  }

  /**
   * Counts a batch's stored rows. A batch holds few distinct (method, route, status, error code,
   * key) combinations, so rows are grouped by those first: each group's labels are worked out once,
   * the counters are added once per label set, and its latencies go straight into their histogram
   * cell. Each latency bucket keeps the last exemplar it was given.
   */
  observe(rows: InsertedRow[]): void {
    // Found level by level (route, method, status, error code, API key): a few short strings hashed
    // per row instead of one joined key built and hashed (half the CPU).
    const byRoute = new Map<string, Map<string, Map<number, Map<string | null, Map<string | null, InsertedRow[]>>>>>();
    const groups: InsertedRow[][] = [];
    for (const row of rows) {
      const byApiKey = mapUnder(mapUnder(mapUnder(mapUnder(byRoute, row.route), row.method), row.status), row.error_code);
      const group = byApiKey.get(row.api_key_id);
      if (group) group.push(row);
      else {
        const created = [row];
        byApiKey.set(row.api_key_id, created);
        groups.push(created);
      }
    }
    for (const group of groups) {
      const first = group[0];
      this.labels.route.add(first.route, group.length);
      if (first.error_code !== null) this.labels.error_code.add(first.error_code, group.length);
      if (first.api_key_id !== null) this.labels.api_key.add(first.api_key_id, group.length);
    }
    this.rerankIfDue();
    const at = Date.now() / 1000;
    for (const group of groups) {
      const first = group[0];
      const status = String(first.status);
      const cell = this.series.count(
        {
          method: KNOWN_METHODS.has(first.method) ? first.method : OTHER,
          route: this.label('route', first.route, group.length),
          status,
          status_class: statusClass(first.status),
          error_code: first.error_code === null ? NONE : this.label('error_code', first.error_code, group.length),
          api_key: first.api_key_id === null ? NONE : this.label('api_key', first.api_key_id, group.length),
        },
        group.length,
      );
      const retryAfterStatus = first.status === 429 || first.status === 503;
      for (const row of group) {
        cell.observe(row.duration_ms / 1000, row.request_id.length <= MAX_EXEMPLAR_ID ? row.request_id : undefined, at);
        if (retryAfterStatus && row.retry_after !== null) this.retryAfter.observe({ status }, row.retry_after);
      }
    }
  }

  private label(name: keyof RequestMetrics['labels'], value: string, records: number): string {
    const label = this.labels[name].label(value);
    if (label !== value) this.folded.inc({ label: name, reason: 'label_cap' }, records);
    return label;
  }

  /**
   * Every METRICS_LABEL_RERANK_SECONDS: volumes halve (per interval elapsed), each label's values are
   * ranked again, and the series of values that lost their label are dropped; when the budget refused a
   * series since the last re-rank, so are the series nothing was counted in since.
   */
  private rerankIfDue(): void {
    const elapsed = this.now() - this.lastRerank;
    if (elapsed < this.rerankMs) return;
    this.lastRerank = this.now();
    const decay = 0.5 ** (elapsed / this.rerankMs);
    const evicted = {
      route: new Set(this.labels.route.rerank(decay)),
      error_code: new Set(this.labels.error_code.rerank(decay)),
      api_key: new Set(this.labels.api_key.rerank(decay)),
    };
    this.series.removeValues(evicted);
    const budget = this.series.budget;
    if (budget.refused) this.series.removeIdle();
    budget.refused = false;
    budget.generation++;
  }
}
