import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { pollUntil } from './poll.js';
import { DisposableRedis, freePort } from './redis-server.js';

/**
 * A real Redis Cluster of `masters` masters with `replicas` replicas each, every node a DisposableRedis
 * (scripts/redis.conf: AOF with `appendfsync always`, so a master killed and restarted comes back with
 * what it acknowledged), joined by `redis-cli --cluster create`. Node timeout 2 s: a killed master is
 * marked failed, and its replica promoted, within seconds.
 */
export class DisposableRedisCluster {
  private constructor(
    readonly nodes: DisposableRedis[],
    private readonly replicas: number,
  ) {}

  static async start(masters = 3, replicas = 0): Promise<DisposableRedisCluster> {
    const nodes: DisposableRedis[] = [];
    const cluster = new DisposableRedisCluster(nodes, replicas);
    try {
      for (let i = 0; i < masters * (1 + replicas); i++) {
        // The cluster bus port is its own free port (the default, port + 10000, can be past 65535).
        const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'];
        nodes.push(await DisposableRedis.start({ args: [...args, '--cluster-port', String(await freePort())] }));
      }
      const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
      execFileSync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], {
        stdio: 'pipe',
        timeout: 30_000,
      });
      await cluster.waitUntilHealthy();
      return cluster;
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
  }

  /** The service's REDIS_URL for this cluster: two seed nodes, as an operator would list them. */
  get url(): string {
    return `redis+cluster://${this.nodes
      .slice(0, 2)
      .map((n) => `127.0.0.1:${n.port}`)
      .join(',')}`;
  }

  /** The master serving the hash slot of `key` (e.g. the queue's `{prefix}`), asked of a node other than `not`. */
  async masterOf(key: string, not?: DisposableRedis): Promise<DisposableRedis> {
    const client = new Redis(this.nodes.find((n) => n !== not)!.port, '127.0.0.1');
    try {
      const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      return this.nodes.find((n) => n.port === port)!;
    } finally {
      client.disconnect();
    }
  }

  /**
   * SIGKILLs `master` and brings the slots of `key` back; resolves with when (Date.now()) the outage ended as
   * far as the test can tell for sure: the restart's end, or the last check that still saw the dead master.
   * Without replicas the master is restarted after 4 s (past the 2-s node timeout: the cluster has
   * reported CLUSTERDOWN meanwhile); with replicas its replica is elected and takes the slots over, and
   * the old master is restarted to rejoin as a replica.
   */
  async killAndRecover(master: DisposableRedis, key: string): Promise<number> {
    await master.kill();
    if (this.replicas === 0) {
      await new Promise((r) => setTimeout(r, 4_000));
      await master.restart();
      return Date.now();
    }
    // The last instant the slot was seen unserved: a check's send time, when it still names the dead master
    // (promotion is one-way). The instant a poll first sees the replica is later than the promotion by up to a
    // poll, and a 202 in between is served by the new master, not accepted while down.
    let seenUnservedAt = Date.now();
    for (const deadline = seenUnservedAt + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
      const checkedAt = Date.now();
      if ((await this.masterOf(key, master)) !== master) break;
      seenUnservedAt = checkedAt;
      if (Date.now() > deadline) throw new Error('no replica promoted within 30 s');
    }
    await master.restart();
    return seenUnservedAt;
  }

  /** Every node answers `cluster_state:ok` (all slots served). */
  async waitUntilHealthy(timeoutMs = 30_000): Promise<void> {
    await pollUntil(
      () => Promise.all(this.nodes.map((n) => clusterState(n.port))),
      (states) => states.every((s) => s === 'ok'),
      timeoutMs,
      'cluster_state:ok on every node',
    );
  }

  /** Every key on every node (KEYS: a test cluster holds a few hundred at most). */
  async keys(): Promise<string[]> {
    const perNode = this.nodes.map(async (node) => {
      const client = new Redis(node.port, '127.0.0.1');
      return client.keys('*').finally(() => client.disconnect());
    });
    return (await Promise.all(perNode)).flat();
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.destroy()));
  }
}

async function clusterState(port: number): Promise<string> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return /cluster_state:(\w+)/.exec((await client.call('CLUSTER', 'INFO')) as string)?.[1] ?? 'unknown';
  } catch {
    return 'unreachable';
  } finally {
    client.disconnect();
  }
}
