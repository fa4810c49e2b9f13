import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { isClusterUrl, parseClusterUrl } from './redis-url.js';

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

/** Producers fail fast while Redis is away; consumers wait and retry forever, as BullMQ workers require. */
const ROLE_OPTIONS = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  consumer: { maxRetriesPerRequest: null },
} as const;

/**
 * BullMQ connection options for a role. Producers fail fast while Redis is away (no offline queue),
 * so an ingest request answers 503 at once instead of hanging; consumers wait and reconnect forever,
 * as BullMQ workers require (maxRetriesPerRequest: null). Both reconnect on reconnectDelayMs.
 * A cluster URL yields a (not yet connected) Cluster client instead, as BullMQ builds only single
 * clients from options: a Worker duplicates it for its own connections, a Queue shares it (its
 * creator closes it, see createIngestQueue).
 */
export function redisConnection(url: string, role: ConnectionRole): ConnectionOptions {
  if (isClusterUrl(url)) return clusterClient(url, role, false);
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 2000,
    retryStrategy: reconnectDelayMs,
    ...ROLE_OPTIONS[role],
  };
}

/**
 * A Redis or Cluster client of our own (not BullMQ's) with the role's rules, not connected until `connect()`
 * (or its first command when `queueWhileConnecting`: commands then wait for the connection instead of failing).
 */
export function redisClient(url: string, role: ConnectionRole, queueWhileConnecting = false): Redis | Cluster {
  if (isClusterUrl(url)) return clusterClient(url, role, queueWhileConnecting);
  return new Redis({
    ...(redisConnection(url, role) as object),
    lazyConnect: true,
    ...(queueWhileConnecting && { enableOfflineQueue: true }),
  });
}

/**
 * A Cluster client with the role's rules: the offline queue is the cluster's own (commands sent while
 * it has no slot map), the retry count each node's. During a master's failover ioredis retries a
 * command on a closed connection every retryDelayOnFailover (100 ms) after refreshing the slot map,
 * up to maxRedirections times; a producer's caller bounds the whole with its own timeout (503).
 */
function clusterClient(url: string, role: ConnectionRole, queueWhileConnecting: boolean): Cluster {
  const { nodes, username, password, tls } = parseClusterUrl(url);
  const { maxRetriesPerRequest } = ROLE_OPTIONS[role];
  return new Cluster(nodes, {
    lazyConnect: true,
    enableOfflineQueue: role === 'consumer' || queueWhileConnecting,
    clusterRetryStrategy: reconnectDelayMs,
    slotsRefreshTimeout: 2000,
    redisOptions: { username, password, tls: tls ? {} : undefined, connectTimeout: 2000, maxRetriesPerRequest },
  });
}
