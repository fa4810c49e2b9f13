import type { SourceReport } from '#libs/ingest-sources';
import { ApiClient, ago, table } from './api-client.js';
import type { SupportArgs } from './support-args.js';

/** Rejected lines shown per source in the table view (all are in --json), each cut to one terminal line. */
const SHOWN_LINES = 3;
const SHOWN_CHARS = 100;

/** `sources`: "why is nothing showing up?" — GET /v1/admin/ingest/sources (an admin key) as a table and the newest rejections. */
export async function sources(api: ApiClient, args: SupportArgs): Promise<string> {
  const res = await api.get<{ sources: SourceReport[] }>('/v1/admin/ingest/sources');
  if (args.json) return JSON.stringify(res, null, 2);
  const lines = [
    table(
      ['source', 'last seen', 'received', 'accepted', 'rejected'],
      res.sources.map((s) => [s.source, s.lastSeenAt ? ago(s.lastSeenAt) : 'never', s.received, s.accepted, s.rejected]),
    ),
  ];
  for (const s of res.sources.filter((r) => r.lastRejected.length > 0)) {
    lines.push('', `${s.source}: last rejected (newest first, ${s.lastRejected.length} kept)`);
    for (const r of s.lastRejected.slice(0, SHOWN_LINES)) {
      const line = r.line.length > SHOWN_CHARS || r.truncated ? `${r.line.slice(0, SHOWN_CHARS)}…` : r.line;
      lines.push(`  ${ago(r.at)}  ${r.reason}  ${line}`);
    }
  }
  return lines.join('\n');
}
