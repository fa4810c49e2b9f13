import { Counter, Histogram } from 'prom-client';
import { statusClass } from '#libs/access-log';
import type { AppConfig } from '#libs/config';
import type { InsertedRow } from '#libs/request-store';
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
  private readonly duration: Histogram;
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
    this.duration = new Histogram({
      name: 'verilock_api_request_duration_seconds',
      help: 'Time the Verilock API took to answer, from stored access-log records; exemplars carry the request id.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: DURATION_BUCKETS,
      enableExemplars: true,
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
   * Counts a batch's stored rows. A batch holds few distinct label sets, so the counters are added
   * once per label set rather than once per row, and each latency bucket of a label set gets one
   * exemplar per batch (the last row's; prom-client keeps only the last one anyway). Only the
   * histograms' observations stay per row.
   */
  observe(rows: InsertedRow[]): void {
    const requests = new Map<string, Tally>();
    const byApiKey = new Map<string, Tally>();
    const latencies: { labels: Record<string, string>; seconds: number; exemplarKey: string }[] = [];
    const exemplarRow = new Map<string, number>();
    for (const row of rows) {
      const method = KNOWN_METHODS.has(row.method) ? row.method : OTHER;
      const route = this.routes.value(row.route);
      const status = String(row.status);
      const status_class = statusClass(row.status);
      const error_code = this.errorCodes.value(row.error_code);
      const api_key = this.apiKeys.value(row.api_key_id);
      // NUL never occurs in a stored value (validation rejects it), so it separates key parts safely.
      tally(requests, `${method}\0${route}\0${status}\0${error_code}`, () => ({ method, route, status, status_class, error_code }));
      tally(byApiKey, `${api_key}\0${status}`, () => ({ api_key, status, status_class }));
      const seconds = row.duration_ms / 1000;
      const exemplarKey = `${method}\0${route}\0${status_class}\0${bucketIndex(seconds)}`;
      if (row.request_id.length <= MAX_EXEMPLAR_ID) exemplarRow.set(exemplarKey, latencies.length);
      latencies.push({ labels: { method, route, status_class }, seconds, exemplarKey });
      if (row.retry_after !== null && (row.status === 429 || row.status === 503)) {
        this.retryAfter.observe({ status }, row.retry_after);
      }
    }
    for (const { labels, count } of requests.values()) this.requests.inc(labels, count);
    for (const { labels, count } of byApiKey.values()) this.byApiKey.inc(labels, count);
    latencies.forEach(({ labels, seconds, exemplarKey }, i) => {
      // With exemplars enabled prom-client only takes the object form; an empty label set means none.
      const exemplarLabels = exemplarRow.get(exemplarKey) === i ? { request_id: rows[i]!.request_id } : {};
      this.duration.observe({ labels, value: seconds, exemplarLabels });
    });
  }
}

interface Tally {
  labels: Record<string, string>;
  count: number;
}

/** Index of the latency bucket a value falls in (an exemplar belongs to one bucket). */
function bucketIndex(seconds: number): number {
  const i = DURATION_BUCKETS.findIndex((le) => seconds <= le);
  return i === -1 ? DURATION_BUCKETS.length : i;
}

function tally(map: Map<string, Tally>, key: string, labels: () => Record<string, string>): void {
  const entry = map.get(key);
  if (entry) entry.count++;
  else map.set(key, { labels: labels(), count: 1 });
}
