import type { Cluster, Redis } from 'ioredis';
import { INGEST_SOURCES, type IngestSource } from './ingest-source.js';

/** Rejected lines kept per source in Redis (the newest): whatever the flood, a source's list never holds more. */
export const REJECTED_LINES_PER_SOURCE = 20;

/** What one api process saw of a source since its last flush. `lines`: rejected-line entries (JSON text), oldest first. */
export interface SourceDelta {
  received: number;
  accepted: number;
  rejected: number;
  lastSeenMs: number;
  lines: string[];
}

export interface SourceTotals {
  source: IngestSource;
  received: number;
  accepted: number;
  rejected: number;
  lastSeenMs: number | null;
  /** Entries as flushed (JSON text), newest first. */
  lines: string[];
}

const COUNTERS = ['received', 'accepted', 'rejected'] as const;

/**
 * Every replica's view of each source, in Redis under the service's key prefix: one hash of counts
 * (`<source>:received|accepted|rejected`), one sorted set of last-seen times (ZADD GT: a replica that
 * flushes late never moves a source's last-seen back) and one capped list of rejected lines per
 * source (LPUSH + LTRIM). 2 + INGEST_SOURCES.length keys in all, whatever arrives. The keys share a
 * hash tag, so each flush and read is one pipeline on one slot (Redis Cluster too).
 */
export class SourceHealthStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keyPrefix: string,
  ) {}

  /** Adds the deltas of several sources in one pipeline; throws if Redis refused any command. */
  async add(deltas: ReadonlyMap<IngestSource, SourceDelta>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [source, delta] of deltas) {
      for (const counter of COUNTERS) if (delta[counter] > 0) pipeline.hincrby(this.key('counts'), `${source}:${counter}`, delta[counter]);
      if (delta.lastSeenMs > 0) pipeline.zadd(this.key('last-seen'), 'GT', delta.lastSeenMs, source);
      if (delta.lines.length > 0) {
        pipeline.lpush(this.key(`rejected:${source}`), ...delta.lines);
        pipeline.ltrim(this.key(`rejected:${source}`), 0, REJECTED_LINES_PER_SOURCE - 1);
      }
    }
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
  }

  /** Every source's totals, last-seen time and kept lines, in INGEST_SOURCES order. */
  async read(): Promise<SourceTotals[]> {
    const pipeline = this.redis.pipeline().hgetall(this.key('counts')).zrange(this.key('last-seen'), 0, -1, 'WITHSCORES');
    for (const source of INGEST_SOURCES) pipeline.lrange(this.key(`rejected:${source}`), 0, REJECTED_LINES_PER_SOURCE - 1);
    const replies = (await pipeline.exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
    const counts = replies[0][1] as Record<string, string>;
    const seen = replies[1][1] as string[];
    const lastSeen = new Map<string, number>();
    for (let i = 0; i < seen.length; i += 2) lastSeen.set(seen[i], Number(seen[i + 1]));
    return INGEST_SOURCES.map((source, i) => ({
      source,
      received: Number(counts[`${source}:received`] ?? 0),
      accepted: Number(counts[`${source}:accepted`] ?? 0),
      rejected: Number(counts[`${source}:rejected`] ?? 0),
      lastSeenMs: lastSeen.get(source) ?? null,
      lines: replies[2 + i][1] as string[],
    }));
  }

  private key(name: string): string {
    return `${this.keyPrefix}:{ingest-sources}:${name}`;
  }
}
