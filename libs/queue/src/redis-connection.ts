import type { ConnectionOptions } from 'bullmq';

export type ConnectionRole = 'producer' | 'consumer';

/**
 * BullMQ connection options for a role. Producers fail fast while Redis is away (no offline queue),
 * so an ingest request answers 503 at once instead of hanging; consumers wait and reconnect forever,
 * as BullMQ workers require (maxRetriesPerRequest: null).
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
  };
  return role === 'producer'
    ? { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 }
    : { ...base, maxRetriesPerRequest: null };
}
