import type { Cluster, Redis } from 'ioredis';

/** Redis memory as INFO reports it. `maxmemoryBytes` is 0 when Redis has no limit. */
export interface RedisMemoryReading {
  usedBytes: number;
  maxmemoryBytes: number;
}

/** Readings younger than this are used as they are: at most ~4 INFO calls a second per producer. */
export const MEMORY_REFRESH_MS = 250;
/** Readings older than this (the first request, or after a quiet spell) are not trusted: the caller waits for a fresh one. */
export const MEMORY_STALE_MS = 2000;

/**
 * Redis's `used_memory`, read with INFO at most every MEMORY_REFRESH_MS and shared by every request
 * in between, so checking the byte budget adds no Redis round trip to a request under load. A
 * reading past its refresh age is still used while the next one is read in the background; the
 * budget can therefore be overshot by what arrives within ~250 ms (documented).
 */
export class RedisMemory {
  private last?: { reading: RedisMemoryReading; at: number };
  private inFlight?: Promise<RedisMemoryReading>;

  /** `info` yields the INFO text of each server holding data: one for a single Redis, one per master of a cluster. */
  constructor(
    private readonly info: () => Promise<readonly string[]>,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async current(): Promise<RedisMemoryReading> {
    const age = this.last ? this.clock() - this.last.at : Infinity;
    if (age < MEMORY_REFRESH_MS) return this.last!.reading;
    const next = this.refresh();
    if (age >= MEMORY_STALE_MS) return next;
    // A failed background read is not this request's problem: the enqueue itself will tell.
    next.catch(() => undefined);
    return this.last!.reading;
  }

  /**
   * Bytes this producer just added: counted into the cached reading until the next one, so requests
   * spaced wider than the refresh interval do not each see Redis as it was before the previous one.
   */
  noteAdded(bytes: number): void {
    if (this.last) this.last.reading = { ...this.last.reading, usedBytes: this.last.reading.usedBytes + bytes };
  }

  private refresh(): Promise<RedisMemoryReading> {
    this.inFlight ??= this.info()
      .then((texts) => {
        const reading = fullestServer(texts.map(parseMemoryInfo));
        this.last = { reading, at: this.clock() };
        return reading;
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }
}

/** `used_memory` and `maxmemory` from the text of INFO. */
export function parseMemoryInfo(text: string): RedisMemoryReading {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  const usedBytes = field('used_memory');
  if (!Number.isFinite(usedBytes)) throw new Error('INFO did not report used_memory');
  const maxmemoryBytes = field('maxmemory');
  return { usedBytes, maxmemoryBytes: Number.isFinite(maxmemoryBytes) ? maxmemoryBytes : 0 };
}

/**
 * INFO memory of every server that holds data. INFO is per server: on a cluster, ioredis would send it
 * to one node picked at random, so each master is asked (replicas hold copies, not more data).
 */
export async function memoryInfoPerMaster(client: Redis | Cluster): Promise<string[]> {
  const servers = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
  return Promise.all(servers.map((server) => server.info('memory')));
}

/**
 * One reading for the byte budget from each master's: the highest used_memory against the lowest
 * maxmemory set. Not a sum: the queue's keys share one hash slot (the `{prefix}` hash tag), so they
 * fill one master, and that master refuses writes at its own maxmemory whatever the others hold.
 * The fullest master is that one, or holds more, so the budget is never overshot, only reached early.
 */
export function fullestServer(readings: readonly RedisMemoryReading[]): RedisMemoryReading {
  const limits = readings.map((r) => r.maxmemoryBytes).filter((bytes) => bytes > 0);
  return {
    usedBytes: Math.max(...readings.map((r) => r.usedBytes)),
    maxmemoryBytes: limits.length > 0 ? Math.min(...limits) : 0,
  };
}
