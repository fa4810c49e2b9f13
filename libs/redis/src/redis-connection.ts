import type { ConnectionOptions } from 'bullmq';

export type ConnectionRole = 'producer' | 'consumer';

/**
 * Longest wait between two reconnect attempts while Redis is away. BullMQ's own default grows as
 * e^attempt up to 20 s, so after a 25 s outage the next attempt came ~13 s after Redis was back and
 * ingest answered 503 all that time. An attempt against a Redis that is down costs one refused TCP
 * connect: retrying twice a second keeps recovery within ~0.5 s of Redis answering.
 */
export const RECONNECT_MAX_DELAY_MS = 500;

/** Delay before reconnect attempt `attempt` (1, 2, …): 100, 200, … ms, then RECONNECT_MAX_DELAY_MS for good. */
function reconnectDelayMs(attempt: number): number {
  return Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS);
}

/**
 * BullMQ connection options for a role. Producers fail fast while Redis is away (no offline queue),
 * so an ingest request answers 503 at once instead of hanging; consumers wait and reconnect forever,
 * as BullMQ workers require (maxRetriesPerRequest: null). Both reconnect on reconnectDelayMs.
 */
export function redisConnection(url: string, role: ConnectionRole): ConnectionOptions {
  const parsed = new URL(url);
  const base = {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 2000,
    retryStrategy: reconnectDelayMs,
  };
  return role === 'producer' ? { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { ...base, maxRetriesPerRequest: null };
}
