import { type Neighbor, nextStep, type Spike, type StoredRequest } from '#libs/support-page';
import { ApiClient, ago, table } from './api-client.js';
import type { SupportArgs } from './support-args.js';

interface Series {
  group: string;
  total: number;
  buckets: { total: number; status4xx: number; status5xx: number }[];
}

const SPIKE_WINDOW_MS = 3 * 3_600_000;

/** `lookup ID`: what the support page shows, for a terminal. */
export async function lookup(api: ApiClient, args: SupportArgs): Promise<string> {
  const r = await api.get<StoredRequest>(`/v1/requests/${encodeURIComponent(args.requestId!)}`);
  const at = Date.parse(r.timestamp);
  const neighbors = r.apiKeyId
    ? await api.find<{ before: Neighbor[]; after: Neighbor[] }>(`/v1/requests/${encodeURIComponent(r.requestId)}/neighbors?limit=5`)
    : undefined;
  const spikes = await api.find<{ spikes: Spike[] }>(
    `/v1/spikes?status=429,503&from=${iso(at - SPIKE_WINDOW_MS)}&to=${iso(at + SPIKE_WINDOW_MS)}`,
  );
  const spike = spikes?.spikes.find((s) => Date.parse(s.start) <= at && at < Date.parse(s.end));
  if (args.json) return JSON.stringify({ request: r, neighbors: neighbors ?? null, spike: spike ?? null }, null, 2);

  const lines = [
    `${r.requestId}  ${r.status} ${r.statusMeaning.name}${r.statusMeaning.documented ? '' : ' (not in the conventions)'}`,
    `  meaning      ${r.statusMeaning.description}`,
    `  next step    ${nextStep(r.status, r.retryAfter)}`,
    `  error        ${r.error ?? '—'}`,
    `  message      ${r.message ?? '—'}`,
    `  details      ` +
      `${r.details === null || r.details === undefined ? '—' : JSON.stringify(r.details, null, 2).replace(/\n/g, '\n               ')}`,
    `  request      ${r.method} ${r.path}  (route ${r.route})`,
    `  api key id   ${r.apiKeyId ?? '—'}`,
    `  sent         ${r.timestamp} (${ago(r.timestamp)}), ${r.durationMs} ms` +
      `${r.retryAfter === null ? '' : `, Retry-After ${r.retryAfter} s`}`,
    `  spike        ` +
      `${spike ? spikeLine(spike) : spikes ? 'not inside a detected 429/503 spike (±3 h searched)' : 'spike detection unavailable'}`,
    '',
  ];
  if (!r.apiKeyId) lines.push('No API key on this request: no key history.');
  else if (!neighbors || (!neighbors.before.length && !neighbors.after.length))
    lines.push(`No other request from ${r.apiKeyId} within a day either side.`);
  else {
    const row = (n: Neighbor, mark: string) => [
      mark,
      n.requestId,
      `${n.method} ${n.route}`,
      n.status,
      n.error ?? '',
      offset(Date.parse(n.timestamp) - at),
      n.durationMs,
    ];
    lines.push(`Same API key (${r.apiKeyId}), just before and after:`);
    lines.push(
      table(
        ['', 'request id', 'request', 'status', 'error', 'offset', 'ms'],
        [...neighbors.before.map((n) => row(n, '')), row(r, '>'), ...neighbors.after.map((n) => row(n, ''))],
      ),
    );
  }
  return lines.join('\n');
}

/** `errors --since 1h --group-by …`: totals per group from GET /v1/error-rates. */
export async function errors(api: ApiClient, args: SupportArgs): Promise<string> {
  const now = Date.now();
  const res = await api.get<{ from: string; to: string; series: Series[] }>(
    `/v1/error-rates?from=${iso(now - args.sinceMs)}&to=${iso(now)}&groupBy=${args.groupBy}&top=50`,
  );
  const rows = res.series.map((s) => {
    const [c4, c5] = s.buckets.reduce(([a, b], k) => [a + k.status4xx, b + k.status5xx], [0, 0]);
    return { group: s.group, total: s.total, status4xx: c4, status5xx: c5, errorRatio: s.total ? (c4 + c5) / s.total : null };
  });
  if (args.json) return JSON.stringify({ from: res.from, to: res.to, groupBy: args.groupBy, groups: rows }, null, 2);
  if (!rows.length) return `No requests stored from ${res.from} to ${res.to}.`;
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  return (
    `${res.from} → ${res.to}, by ${args.groupBy}\n` +
    table(
      [args.groupBy, 'requests', '4xx', '5xx', 'error %'],
      rows.map((r) => [r.group, r.total, r.status4xx, r.status5xx, pct(r.errorRatio)]),
    )
  );
}

/** `spikes --since 6h [--status …]`: the detected bursts from GET /v1/spikes. */
export async function spikes(api: ApiClient, args: SupportArgs): Promise<string> {
  const now = Date.now();
  const status = args.status ? `&status=${encodeURIComponent(args.status)}` : '';
  const res = await api.get<{ from: string; to: string; statuses: number[]; spikes: Spike[] }>(
    `/v1/spikes?from=${iso(now - args.sinceMs)}&to=${iso(now)}${status}`,
  );
  if (args.json) return JSON.stringify(res, null, 2);
  if (!res.spikes.length) return `No ${res.statuses.join('/')} spike from ${res.from} to ${res.to}.`;
  return table(
    ['status', 'start', 'minutes', 'responses', 'peak/min', 'baseline/min', 'top route', 'top key'],
    res.spikes.map((s) => [
      s.status,
      `${s.start} (${ago(s.start)})`,
      Math.round((Date.parse(s.end) - Date.parse(s.start)) / 60_000),
      s.count,
      round(s.peakRate),
      round(s.baselineRate),
      s.topRoutes[0]?.route ?? '—',
      s.topApiKeys[0]?.apiKeyId ?? '—',
    ]),
  );
}

function spikeLine(s: Spike): string {
  return (
    `inside a ${s.status} spike ${s.start} → ${s.end}: ${s.count} responses, ` +
    `peak ${round(s.peakRate)}/min against a baseline of ${round(s.baselineRate)}/min`
  );
}
const iso = (ms: number) => new Date(ms).toISOString();
const round = (x: number) => Math.round(x * 10) / 10;
function offset(ms: number): string {
  if (ms === 0) return '0';
  const s = Math.abs(ms) / 1000;
  return `${ms < 0 ? '−' : '+'}${s < 60 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`}`;
}
