import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

/**
 * A private Postgres cluster in a temp dir, migrated, that a test may stop, start, or break
 * without touching the database the other test files share. Runs as `postgres` when we are root.
 */
export class DisposablePostgres {
  private readonly bin = pgBin();
  private readonly dir = mkdtempSync(join(tmpdir(), 'verilock-pg-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<DisposablePostgres> {
    const pg = new DisposablePostgres(await freePort());
    chmodSync(pg.dir, 0o777);
    // --no-sync: a throwaway cluster (run with fsync=off) need not wait for its files to reach the disk.
    pg.asPg('initdb', ['--no-sync', '-D', pg.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
    pg.startServer();
    try {
      pg.asPg('createdb', ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', 'verilock']);
      execFileSync('node', ['scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: pg.url }, stdio: 'pipe' });
    } catch (err) {
      pg.destroy(); // a half-made cluster must not outlive the test run
      throw err;
    }
    return pg;
  }

  /**
   * A streaming replica of `primary` (a hot standby, read-only): `pg_basebackup -R` copies the primary's
   * cluster and writes standby.signal with primary_conninfo, so it follows the primary's WAL from then
   * on. The defaults of Postgres 15 allow it as they are (wal_level replica, max_wal_senders 10, and
   * initdb's pg_hba.conf lets 127.0.0.1 connect for replication, with trust here).
   */
  static async replicaOf(primary: DisposablePostgres): Promise<DisposablePostgres> {
    const replica = new DisposablePostgres(await freePort());
    chmodSync(replica.dir, 0o777);
    try {
      const source = ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'];
      replica.asPg('pg_basebackup', [...source, '-D', replica.data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
      replica.startServer();
    } catch (err) {
      replica.destroy();
      throw err;
    }
    return replica;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/verilock`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** Immediate shutdown, as a crash or failover would look to clients. */
  stop(): void {
    this.asPg('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  startServer(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.asPg('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'postgres.log'), '-w', '-t', '30', '-o', options, 'start']);
  }

  /** Stops the cluster and deletes its files. */
  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private asPg(tool: string, args: string[]): void {
    const command = join(this.bin, tool);
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore', cwd: '/' });
    else execFileSync(command, args, { stdio: 'ignore' });
  }
}

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0], 'bin');
}
