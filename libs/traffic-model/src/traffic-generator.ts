import { type Random, pick, randomId, seededRandom } from './random.js';
import { ENDPOINTS, type ErrorBody, INTERNAL_ERROR, SERVICE_UNAVAILABLE, UNAUTHORIZED, rateLimited, weighted } from './verilock-routes.js';

/** An access-log record as the Verilock API would send it to POST /v1/logs (before validation). */
export interface SimulatedRecord {
  requestId: string;
  timestamp: string;
  method: string;
  path: string;
  route: string;
  status: number;
  durationMs: number;
  error?: string;
  message?: string;
  details?: Record<string, unknown>;
  retryAfter?: number;
  apiKeyId: string | null;
  clientIp: string;
  userAgent: string;
}

export interface TrafficOptions {
  seed?: number;
  /** How many customer API keys send traffic. */
  apiKeys?: number;
  /** Chance, per simulated second, that one key starts a 429 burst. */
  rateLimitBurstChance?: number;
  /** Chance, per simulated second, that the API starts a 503 burst. */
  outageBurstChance?: number;
}

interface Burst {
  until: number;
  apiKeyId?: string;
}

const USER_AGENTS = ['verilock-node/3.1.0', 'verilock-python/2.4.1', 'verilock-go/1.8.0', 'curl/8.5.0', 'Mozilla/5.0 (dashboard)'];
const RATE_LIMIT_RETRY_AFTER = 30;
const OUTAGE_RETRY_AFTER = 10;

/**
 * Verilock-shaped traffic: mostly 2xx, the documented 4xx with their error bodies, rare 500s, and
 * from time to time a 429 burst from one key (it floods, the rate limiter answers) or a 503 burst
 * (maintenance or overload, every key). Driven by the timestamps it is given, so a simulator at any
 * rate and a test over simulated minutes see the same kind of traffic.
 */
export class TrafficGenerator {
  private readonly random: Random;
  private readonly keys: string[];
  private readonly rateLimitBurstChance: number;
  private readonly outageBurstChance: number;
  private lastSecond = -1;
  private rateLimitBurst?: Burst;
  private outageBurst?: Burst;
  private sequence = 0;
  private readonly runId: string;

  constructor(options: TrafficOptions = {}) {
    this.random = seededRandom(options.seed ?? Date.now());
    this.keys = Array.from({ length: options.apiKeys ?? 25 }, (_, i) => `key_live_${(i + 1).toString().padStart(3, '0')}`);
    this.rateLimitBurstChance = options.rateLimitBurstChance ?? 1 / 90;
    this.outageBurstChance = options.outageBurstChance ?? 1 / 300;
    this.runId = randomId(this.random, 'sim', 8).slice(4);
  }

  /** One record of a response sent at `at`. */
  next(at: Date = new Date()): SimulatedRecord {
    this.advanceBursts(at.getTime());
    const endpoint = weighted(this.random, ENDPOINTS);
    let apiKeyId: string | null = this.pickKey();
    let { status, body } = weighted(this.random, endpoint.outcomes) as { status: number; body?: ErrorBody };
    let retryAfter: number | undefined;
    let slowdown = 1;

    if (this.rateLimitBurst && this.random() < 0.6) {
      // The flooding key makes most of the traffic while it lasts, and most of it is refused.
      apiKeyId = this.rateLimitBurst.apiKeyId!;
      if (this.random() < 0.85)
        [status, body, retryAfter, slowdown] = [429, rateLimited(RATE_LIMIT_RETRY_AFTER), RATE_LIMIT_RETRY_AFTER, 0.1];
    } else if (this.outageBurst && this.random() < 0.7) {
      [status, body, retryAfter, slowdown] = [503, SERVICE_UNAVAILABLE, OUTAGE_RETRY_AFTER, 0.3];
    } else if (this.random() < 0.01) {
      [status, body, apiKeyId, slowdown] = [401, UNAUTHORIZED, null, 0.1];
    } else if (this.random() < 0.002) {
      [status, body, slowdown] = [500, INTERNAL_ERROR, 4];
    }

    const record: SimulatedRecord = {
      requestId: `req_${this.runId}_${(this.sequence++).toString(36)}_${Math.floor(this.random() * 1e9).toString(36)}`,
      timestamp: at.toISOString(),
      method: endpoint.method,
      path: endpoint.path(this.random),
      route: endpoint.route,
      status,
      durationMs: Math.round(this.duration(endpoint.typicalMs * slowdown) * 10) / 10,
      apiKeyId,
      clientIp: `198.51.100.${1 + Math.floor(this.random() * 254)}`,
      userAgent: pick(this.random, USER_AGENTS),
    };
    if (body) {
      record.error = body.error;
      record.message = body.message;
      if (body.details) record.details = body.details;
    }
    if (retryAfter !== undefined) record.retryAfter = retryAfter;
    return record;
  }

  /** `count` records spread evenly over [from, from + spanMs). */
  batch(count: number, from: Date = new Date(), spanMs = 0): SimulatedRecord[] {
    const start = from.getTime();
    return Array.from({ length: count }, (_, i) => this.next(new Date(start + Math.floor((spanMs * i) / count))));
  }

  private pickKey(): string {
    // A few big customers send most of the traffic (roughly Zipf).
    const index = Math.floor(this.keys.length * this.random() ** 2.5);
    return this.keys[index];
  }

  /** Log-normal-ish spread around the typical duration. */
  private duration(typicalMs: number): number {
    const gaussian = (this.random() + this.random() + this.random() - 1.5) * 2;
    return Math.max(0.5, typicalMs * Math.exp(0.5 * gaussian));
  }

  private advanceBursts(now: number): void {
    const second = Math.floor(now / 1000);
    if (this.rateLimitBurst && now >= this.rateLimitBurst.until) this.rateLimitBurst = undefined;
    if (this.outageBurst && now >= this.outageBurst.until) this.outageBurst = undefined;
    if (second === this.lastSecond) return;
    // Bursts can only start once per simulated second, however many records that second holds.
    const elapsed = this.lastSecond < 0 ? 1 : Math.min(second - this.lastSecond, 3600);
    this.lastSecond = second;
    for (let i = 0; i < elapsed; i++) {
      if (!this.rateLimitBurst && this.random() < this.rateLimitBurstChance) {
        this.rateLimitBurst = { until: now + 5000 + this.random() * 15_000, apiKeyId: this.pickKey() };
      }
      if (!this.outageBurst && this.random() < this.outageBurstChance) {
        this.outageBurst = { until: now + 5000 + this.random() * 10_000 };
      }
    }
  }
}
