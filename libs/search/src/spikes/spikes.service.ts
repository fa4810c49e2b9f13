import { Injectable } from '@nestjs/common';
import { type RequestFilter, RequestSearchRepository, RollupQueryRepository, SpikeDriversRepository } from '#libs/store';
import { QueryParams } from '../query-params.js';
import { readApiKeyId, readRange, readRoute } from '../search-filter.js';
import { DEFAULT_SPIKE_OPTIONS, DetectedSpike, detectSpikes } from './detect-spikes.js';

const MINUTE_MS = 60_000;
const SPIKES_MAX_DAYS = 7;
const DEFAULT_STATUSES = [429, 503];
const MAX_STATUSES = 10;
const TOP_ROUTES = 5;
const TOP_API_KEYS = 10;
const SAMPLE_REQUESTS = 5;
/** Spikes one answer describes (the largest by count); more are counted in `omittedSpikes`. A named constant, documented. */
export const MAX_SPIKES = 50;

/** GET /v1/spikes: bursts of chosen status codes, what drove them, and who ignored the back-off. */
@Injectable()
export class SpikesService {
  constructor(
    private readonly rollups: RollupQueryRepository,
    private readonly requests: RequestSearchRepository,
    private readonly drivers: SpikeDriversRepository,
  ) {}

  async spikes(query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', 'status', 'route', 'apiKeyId']);
    const { from, to } = readRange(params, { defaultHours: 24, maxDays: SPIKES_MAX_DAYS, wholeMinutes: true });
    const chosen = params.statuses('status');
    if (chosen.length > MAX_STATUSES) params.fail('status', `must list at most ${MAX_STATUSES} status codes`);
    const route = readRoute(params);
    const apiKeyId = readApiKeyId(params);
    params.done();

    const statuses = chosen.length > 0 ? chosen.sort((a, b) => a - b) : DEFAULT_STATUSES;
    // The baseline needs history: read BASELINE_MINUTES before `from` as well.
    const lookback = DEFAULT_SPIKE_OPTIONS.baselineMinutes;
    const seriesFrom = new Date(from.getTime() - lookback * MINUTE_MS);
    const counts = await this.rollups.minuteCounts(seriesFrom, to, { statuses, route, apiKeyId });
    const found: { status: number; spike: DetectedSpike }[] = [];
    for (const [status, perMinute] of counts) for (const spike of detectSpikes(perMinute, lookback)) found.push({ status, spike });
    // Each spike described costs two queries and ~2 KB: only the largest MAX_SPIKES are, the rest counted.
    const described = found.sort((a, b) => b.spike.total - a.spike.total).slice(0, MAX_SPIKES);
    const spikes = [];
    for (const { status, spike } of described) {
      const window = {
        from: new Date(seriesFrom.getTime() + spike.start * MINUTE_MS),
        to: new Date(seriesFrom.getTime() + spike.end * MINUTE_MS),
      };
      spikes.push(await this.describe(status, spike, window, { statuses: [status], route, apiKeyId }));
    }
    spikes.sort((a, b) => a.start.localeCompare(b.start) || a.status - b.status);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      interval: '1m',
      statuses,
      spikes,
      omittedSpikes: found.length - spikes.length,
    };
  }

  /** What drove one spike: top routes and keys (rollups) and early retries (raw), sample ids (raw); bounded by the spike. */
  private async describe(status: number, spike: DetectedSpike, window: { from: Date; to: Date }, filter: RequestFilter) {
    const [{ topRoutes, topApiKeys, earlyRetries: retries }, samples] = await Promise.all([
      this.drivers.drivers(window.from, window.to, filter, status, { routes: TOP_ROUTES, apiKeys: TOP_API_KEYS }),
      this.requests.page({ ...window, filter, limit: SAMPLE_REQUESTS }),
    ]);
    const earlyRetries = retries
      .filter((r) => r.earlyRetries > 0)
      .sort((a, b) => b.earlyRetries - a.earlyRetries || a.apiKeyId.localeCompare(b.apiKeyId));
    return {
      status,
      start: window.from.toISOString(),
      end: window.to.toISOString(),
      peakRate: spike.peak,
      baselineRate: spike.baseline,
      factor: Math.round((spike.peak / Math.max(spike.baseline, 1)) * 10) / 10,
      count: spike.total,
      topRoutes: topRoutes.map((r) => ({ route: r.key, count: r.count })),
      topApiKeys: topApiKeys.map((k) => ({ apiKeyId: k.key, count: k.count })),
      sampleRequestIds: samples.map((s) => s.requestId),
      earlyRetries,
    };
  }
}
