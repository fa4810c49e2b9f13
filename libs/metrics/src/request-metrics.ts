import { Counter, Histogram } from 'prom-client';
import { statusClass } from '#libs/access-log';
import type { AppConfig } from '#libs/config';
import type { InsertedRow } from '#libs/request-store';
import { BatchHistogram } from './batch-histogram.js';
import { BoundedLabel, OTHER } from './bounded-label.js';
import type { AppRegistry } from './metrics-registry.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** OpenMetrics caps an exemplar's label names + values at 128 characters. */
const MAX_EXEMPLAR_ID = 128 - 'request_id'.length;

/** Latency buckets (seconds) of verilock_api_request_duration_seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * What the Verilock API answered, derived from the access-log rows really stored: request counts,
 * latency, 429/503 Retry-After. Routes, API keys and error codes are capped (METRICS_MAX_*).
 */
export class RequestMetrics {
  private readonly routes: BoundedLabel;
  private readonly apiKeys: BoundedLabel;
  private readonly errorCodes: BoundedLabel;
  private readonly requests: Counter;
  private readonly byApiKey: Counter;
  private readonly duration: BatchHistogram;
  private readonly retryAfter: Histogram;

  constructor(registry: AppRegistry, limits: AppConfig['metrics']) {
    this.routes = new BoundedLabel(limits.maxRoutes);
    this.apiKeys = new BoundedLabel(limits.maxApiKeys);
    this.errorCodes = new BoundedLabel(limits.maxErrorCodes);
    const registers = [registry];
    this.requests = new Counter({
      name: 'verilock_api_requests_total',
      help: 'Responses of the Verilock API, from stored access-log records.',
      labelNames: ['method', 'route', 'status', 'status_class', 'error_code'],
      registers,
    });
    this.byApiKey = new Counter({
      name: 'verilock_api_key_requests_total',
      help: 'Responses of the Verilock API per caller API key id, from stored access-log records.',
      labelNames: ['api_key', 'status', 'status_class'],
      registers,
    });
    this.duration = new BatchHistogram({
      name: 'verilock_api_request_duration_seconds',
      help: 'Time the Verilock API took to answer, from stored access-log records; exemplars carry the request id.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: DURATION_BUCKETS,
      exemplarLabel: 'request_id',
      registers,
    });
    this.retryAfter = new Histogram({
      name: 'verilock_api_retry_after_seconds',
      help: 'Retry-After the Verilock API gave with its 429 and 503 responses (responses without one are not observed).',
      labelNames: ['status'],
      buckets: [1, 5, 10, 30, 60, 120, 300, 900, 3600],
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
    const groups = new Map<string, InsertedRow[]>();
    for (const row of rows) {
      // NUL never occurs in a stored value (validation rejects it), so it separates key parts safely;
      // the leading character tells null from a value.
      const key = `${row.method}\0${row.route}\0${row.status}\0${row.error_code === null ? '-' : `+${row.error_code}`}\0${row.api_key_id === null ? '-' : `+${row.api_key_id}`}`;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    const requests = new Map<string, Tally>();
    const byApiKey = new Map<string, Tally>();
    const at = Date.now() / 1000;
    for (const group of groups.values()) {
      const first = group[0]!;
      const method = KNOWN_METHODS.has(first.method) ? first.method : OTHER;
      const route = this.routes.value(first.route);
      const status = String(first.status);
      const status_class = statusClass(first.status);
      const error_code = this.errorCodes.value(first.error_code);
      const api_key = this.apiKeys.value(first.api_key_id);
      tally(requests, `${method}\0${route}\0${status}\0${error_code}`, group.length, () => ({ method, route, status, status_class, error_code }));
      tally(byApiKey, `${api_key}\0${status}`, group.length, () => ({ api_key, status, status_class }));
      const latency = this.duration.cell({ method, route, status_class });
      const retryAfterStatus = first.status === 429 || first.status === 503;
      for (const row of group) {
        latency.observe(row.duration_ms / 1000, row.request_id.length <= MAX_EXEMPLAR_ID ? row.request_id : undefined, at);
        if (retryAfterStatus && row.retry_after !== null) this.retryAfter.observe({ status }, row.retry_after);
      }
    }
    for (const { labels, count } of requests.values()) this.requests.inc(labels, count);
    for (const { labels, count } of byApiKey.values()) this.byApiKey.inc(labels, count);
  }
}

interface Tally {
  labels: Record<string, string>;
  count: number;
}

function tally(map: Map<string, Tally>, key: string, count: number, labels: () => Record<string, string>): void {
  const entry = map.get(key);
  if (entry) entry.count += count;
  else map.set(key, { labels: labels(), count });
}
