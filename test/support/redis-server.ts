import { ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The settings every Redis of the project runs with (maxmemory policy, AOF, fsync): see the file. */
const REDIS_CONF = join(process.cwd(), 'scripts', 'redis.conf');

export interface DisposableRedisOptions {
  /** Redis's `maxmemory` (Redis units, e.g. '4mb'); past it writes are refused with OOM. */
  maxmemory?: string;
  /** More redis-server arguments (a cluster node's, test/support/redis-cluster.ts). */
  args?: string[];
}

/**
 * A private redis-server a test can kill and restart without touching the shared one. It runs with
 * scripts/redis.conf, as `npm run up` and docker-compose do: noeviction, appendonly with
 * `appendfsync always` (so what it acknowledged survives a kill -9 and comes back on restart).
 */
export class DisposableRedis {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'verilock-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: DisposableRedisOptions,
  ) {}

  static async start(options: DisposableRedisOptions = {}): Promise<DisposableRedis> {
    const redis = new DisposableRedis(await freePort(), options);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port and directory) and resolves once it answers PING. */
  async restart(): Promise<void> {
    const args = [
      REDIS_CONF,
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--maxmemory',
      this.options.maxmemory ?? '64mb',
      ...(this.options.args ?? []),
    ];
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    await waitForPort(this.port, true);
    await waitForPong(this.port);
  }

  /** SIGKILL, as an outage would: no graceful close for clients to notice. */
  async kill(): Promise<void> {
    this.process?.kill('SIGKILL');
    await waitForPort(this.port, false);
  }

  /** Kills the server for good and removes its directory. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, open: boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (isOpen === open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not become ${open ? 'open' : 'closed'}`);
}

/** Waits until PING answers PONG (not LOADING, while the append-only file is replayed). */
async function waitForPong(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.setEncoding('utf8');
      socket.once('data', (data: string) => (socket.destroy(), resolve(data)));
      socket.once('error', () => resolve(''));
    });
    if (reply.startsWith('+PONG')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis on port ${port} did not answer PONG`);
}
