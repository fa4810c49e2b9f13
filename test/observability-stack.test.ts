import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { shippedDashboards } from './support/dashboard-queries.js';
import { ROOT, readYaml, run } from './support/observability-files.js';

interface ComposeService {
  volumes?: string[];
  ports?: { published: number; target: number }[];
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  restart?: string;
  command?: string[];
  healthcheck?: { test: string[] };
}

function composeConfig(): Record<string, ComposeService> {
  const result = run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config']);
  expect(result.status).toBe(0);
  return (parse(result.output) as { services: Record<string, ComposeService> }).services;
}

/** Runs a healthcheck's `node -e` probe against a local server answering `status`; its exit code. */
async function probeExitCode(probe: string[], status: number): Promise<number> {
  const server: Server = createServer((req, res) => res.writeHead(req.url === '/health/live' ? status : 404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const args = probe.slice(2).map((arg) => arg.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`));
  try {
    return await new Promise((resolve) => execFile(probe[1], args, (err) => resolve(err ? Number(err.code ?? 1) : 0)));
  } finally {
    server.close();
  }
}

describe('docker compose observability stack and Grafana provisioning', () => {
  it('`docker-compose config` accepts the file, and every file it mounts exists', () => {
    const services = composeConfig();
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['api', 'worker', 'prometheus', 'alertmanager', 'grafana']));
    const binds = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => source.startsWith('/'));
    expect(binds.length).toBeGreaterThanOrEqual(5);
    expect(binds.filter((source) => !existsSync(source))).toEqual([]);
  });

  it('api, worker, postgres and redis restart after a crash and are health-checked; Redis runs with the project settings', async () => {
    const services = composeConfig();
    for (const name of ['api', 'worker', 'postgres', 'redis']) {
      expect({ name, restart: services[name].restart }).toEqual({ name, restart: 'unless-stopped' });
      expect(services[name].healthcheck?.test.length).toBeGreaterThan(1);
    }
    for (const [name, port] of [
      ['api', 3000],
      ['worker', 3001],
    ] as const) {
      const probe = services[name].healthcheck!.test;
      expect(probe.slice(0, 2)).toEqual(['CMD', 'node']);
      expect(probe.join(' ')).toContain(`http://127.0.0.1:${port}/health/live`);
      // The probe itself: healthy on 200 (and on 401 when HEALTH_REQUIRE_KEY=true), unhealthy on 503.
      expect([await probeExitCode(probe, 200), await probeExitCode(probe, 401), await probeExitCode(probe, 503)]).toEqual([0, 0, 1]);
    }
    expect(services.redis.command).toEqual(['redis-server', '/usr/local/etc/redis/redis.conf', '--maxmemory', '1gb']);
    expect(services.redis.volumes).toContain(`${join(ROOT, 'scripts/redis.conf')}:/usr/local/etc/redis/redis.conf:ro`);
    const conf = readFileSync(join(ROOT, 'scripts/redis.conf'), 'utf8');
    for (const line of ['maxmemory-policy noeviction', 'appendonly yes', 'appendfsync always'])
      expect(conf).toMatch(new RegExp(`^${line}$`, 'm'));
  });

  it('runs 2 api and 3 worker replicas, none on a fixed host port, the api behind one nginx address', () => {
    const services = composeConfig();
    expect([services.api.deploy?.replicas, services.worker.deploy?.replicas]).toEqual([2, 3]);
    // A fixed host port would clash between replicas: only the load balancer publishes the api's.
    expect([services.api.ports, services.worker.ports]).toEqual([undefined, undefined]);
    expect(services.lb.ports).toEqual([{ published: 3000, target: 3000 }]);
    const conf = join(ROOT, 'scripts/api-load-balancer.nginx.conf');
    expect(services.lb.volumes).toContain(`${conf}:/etc/nginx/conf.d/default.conf:ro`);
    expect(services.api.environment?.TRUST_PROXY).toBe('1'); // the balancer is the one trusted hop
    // Prometheus scrapes every replica (a static api:3000 would reach one replica per scrape).
    const scrape = readYaml<{ scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[] }>(
      join(ROOT, 'prometheus/prometheus.yml'),
    ).scrape_configs;
    expect(scrape.map((j) => [j.job_name, j.dns_sd_configs?.[0]])).toEqual([
      ['verilock-api', expect.objectContaining({ names: ['api'], port: 3000 })],
      ['verilock-worker', expect.objectContaining({ names: ['worker'], port: 3001 })],
    ]);
    // The balancer's config is valid nginx (checked where nginx is installed; CI installs it for the sources suite).
    if (!existsSync('/usr/sbin/nginx')) return;
    const dir = mkdtempSync(join(tmpdir(), 'verilock-lb-'));
    try {
      writeFileSync(join(dir, 'nginx.conf'), `events {}\nhttp { include ${conf}; }\n`);
      const check = run('/usr/sbin/nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `pid ${dir}/pid; error_log ${dir}/log;`]);
      expect(check).toEqual({ status: 0, output: expect.stringContaining('test is successful') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dashboards only use provisioned datasources, have unique uids, and are loaded from where compose mounts them', () => {
    const datasources = readYaml<{ datasources: { uid: string }[] }>(
      join(ROOT, 'grafana/provisioning/datasources/verilock.yml'),
    ).datasources;
    const provisioned = new Set(datasources.map((d) => d.uid));
    const dashboards = shippedDashboards();
    const used = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        const { datasource } = node as { datasource?: { uid?: string } };
        if (datasource?.uid) used.add(datasource.uid);
        Object.values(node).forEach(collect);
      }
    };
    dashboards.forEach((d) => collect(d.dashboard));
    expect([...used].filter((uid) => !provisioned.has(uid))).toEqual([]);
    const uids = dashboards.map((d) => (d.dashboard as unknown as { uid: string }).uid);
    expect(new Set(uids).size).toBe(dashboards.length);
    const provider = readYaml<{ providers: { options: { path: string } }[] }>(join(ROOT, 'grafana/provisioning/dashboards/verilock.yml'))
      .providers[0];
    expect(readYaml<{ services: Record<string, ComposeService> }>(join(ROOT, 'docker-compose.yml')).services.grafana.volumes).toContain(
      `./grafana/dashboards:${provider.options.path}:ro`,
    );
  });
});
