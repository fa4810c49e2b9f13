import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { shippedDashboards } from './support/dashboard-queries.js';
import { ROOT, readYaml, run } from './support/observability-files.js';

interface ComposeService {
  volumes?: string[];
}

describe('docker compose observability stack and Grafana provisioning', () => {
  it('`docker-compose config` accepts the file, and every file it mounts exists', () => {
    const result = run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config']);
    expect(result.status).toBe(0);
    const services = (parse(result.output) as { services: Record<string, ComposeService> }).services;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['api', 'worker', 'prometheus', 'alertmanager', 'grafana']));
    const binds = Object.values(services).flatMap((s) => s.volumes ?? []).map((v) => v.split(':')[0]!).filter((source) => source.startsWith('/'));
    expect(binds.length).toBeGreaterThanOrEqual(5);
    expect(binds.filter((source) => !existsSync(source))).toEqual([]);
  });

  it('dashboards only use provisioned datasources, have unique uids, and are loaded from where compose mounts them', () => {
    const datasources = readYaml<{ datasources: { uid: string }[] }>(join(ROOT, 'grafana/provisioning/datasources/verilock.yml')).datasources;
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
    const provider = readYaml<{ providers: { options: { path: string } }[] }>(join(ROOT, 'grafana/provisioning/dashboards/verilock.yml')).providers[0]!;
    expect(readYaml<{ services: Record<string, ComposeService> }>(join(ROOT, 'docker-compose.yml')).services.grafana!.volumes).toContain(
      `./grafana/dashboards:${provider.options.path}:ro`,
    );
  });
});
