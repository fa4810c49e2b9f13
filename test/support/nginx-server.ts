import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

/** nginx from Debian's package (scripts/prepare.sh installs it); /usr/sbin is not on every user's PATH. */
function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('bash', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nginx is not installed: run scripts/prepare.sh (npm test does), which installs the Debian package');
  }
}

/** A port free right now on 127.0.0.1 (the kernel's pick), for a process that cannot be told to take port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * The recommended nginx configuration of docs/sources.md, read from the doc itself so that the doc and
 * this test cannot drift: the `map`, the `log_format verilock` and the `location /` block, verbatim.
 */
export function documentedNginxParts(): { map: string; logFormat: string; location: string } {
  const doc = readFileSync('docs/sources.md', 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  const part = (re: RegExp, what: string) => {
    const found = block && re.exec(block)?.[0];
    if (!found) throw new Error(`docs/sources.md: no ${what} in its nginx block`);
    return found;
  };
  return {
    map: part(/^ *map \$http_x_request_id \$req_id \{[\s\S]*?^ *\}$/m, 'map'),
    logFormat: part(/^ *log_format verilock escape=json[\s\S]*?';$/m, 'log_format verilock'),
    location: part(/^ *location \/ \{[\s\S]*?^ *\}$/m, 'location / block'),
  };
}

/** A real nginx master (no daemon) with its own prefix in `dir`: config, pid, error log, temp paths and the access log. */
export class NginxServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly accessLog: string,
    private readonly dir: string,
  ) {}

  static async start(dir: string, upstreamPort: number): Promise<NginxServer> {
    const { map, logFormat, location } = documentedNginxParts();
    const port = await freePort();
    const accessLog = join(dir, 'api.json');
    for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp), { recursive: true });
    const config = `
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 128; }
http {
    client_body_temp_path ${join(dir, 'client_body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};
${map}
${logFormat}
    upstream api_upstream { server 127.0.0.1:${upstreamPort}; }
    server {
        listen 127.0.0.1:${port};
        access_log ${accessLog} verilock;
${location}
    }
}
`;
    writeFileSync(join(dir, 'nginx.conf'), config);
    const child = spawn(nginxBinary(), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const server = new NginxServer(child, port, accessLog, dir);
    for (const deadline = Date.now() + 15_000; ; await new Promise((r) => setTimeout(r, 50))) {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${server.errorLog()}`);
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr}${server.errorLog()}`);
      // A TCP connection, not a request: the access log holds only the test's own requests.
      if (await accepts(port)) return server;
    }
  }

  /** kill -USR1: the master reopens its log files (what logrotate's postrotate does). */
  reopenLogs(): void {
    this.child.kill('SIGUSR1');
  }

  errorLog(): string {
    const path = join(this.dir, 'error.log');
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  /** SIGQUIT (graceful), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGQUIT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
