/**
 * REDIS_URL names one Redis (`redis://`, `rediss://`) or a Redis Cluster:
 * `redis+cluster://[user:password@]host:port,host:port,…` (`rediss+cluster://` for TLS). The hosts are
 * seed nodes only: the client learns every master and replica from any one of them (CLUSTER SLOTS),
 * so listing two or three survives one being down at start-up. A cluster has no database number.
 */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^@/?#]+)\/?$/i;

export interface ClusterTarget {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

/** Whether the URL names a Redis Cluster (its scheme ends in `+cluster`). */
export function isClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:/i.test(url);
}

/** The seed nodes, credentials and TLS of a `redis+cluster://` URL; throws naming what is wrong. */
export function parseClusterUrl(url: string): ClusterTarget {
  const match = CLUSTER_URL.exec(url);
  if (!match) throw new Error('expected redis+cluster://[user:password@]host:port,host:port,… (no path: a cluster has no database number)');
  const [, scheme, auth, hosts] = match;
  const colon = auth?.indexOf(':') ?? -1;
  const nodes = hosts.split(',').map((hostPort) => {
    const parsed = new URL(`redis://${hostPort}`);
    if (!parsed.hostname || parsed.host.toLowerCase() !== hostPort.toLowerCase()) throw new Error(`"${hostPort}" is not a host:port`);
    // URL keeps an IPv6 address in brackets; the client wants it bare.
    return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(parsed.port || 6379) };
  });
  return {
    nodes,
    username: auth ? decodeURIComponent(colon < 0 ? auth : auth.slice(0, colon)) || undefined : undefined,
    password: auth && colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : undefined,
    tls: scheme.toLowerCase() === 'rediss',
  };
}

/** A REDIS_URL the service can use: a parseable cluster URL, or any URL for a single Redis. */
export function isRedisUrl(url: string): boolean {
  try {
    if (isClusterUrl(url)) parseClusterUrl(url);
    else new URL(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * The key prefix every key of the service starts with. On a cluster it is a hash tag, `{verilock}`:
 * BullMQ's Lua scripts and our MULTI touch several keys of one queue at once, which a cluster runs
 * only when they all sit in one hash slot, and Redis hashes only the part inside the braces. On a
 * single Redis the plain prefix stays, so upgrading a running deployment keeps its queued jobs
 * (a new prefix would orphan them under the old keys). Idempotent: a prefix already a hash tag is kept.
 */
export function queueKeyPrefix(url: string, prefix: string): string {
  if (!isClusterUrl(url) || /^\{[^{}]+\}$/.test(prefix)) return prefix;
  return `{${prefix}}`;
}
