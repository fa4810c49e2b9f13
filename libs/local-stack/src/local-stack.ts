import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { localAlertmanagerConfig, localPrometheusConfig } from './observability-config.js';
import type { ProgramSpec } from './supervisor.js';

/** What `npm run up` runs, read once from its environment (documented in docs/quickstart.md). */
export interface LocalStackOptions {
  root: string;
  stateDir: string;
  host: string;
  apiPort: number;
  workerPort: number;
  prometheusPort: number;
  alertmanagerPort: number;
  /** VERILOCK_SKIP_PROMETHEUS=1: only the api and the worker. */
  withPrometheus: boolean;
}

export function localStackOptions(env: NodeJS.ProcessEnv, root: string): LocalStackOptions {
  const port = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got ${env[name]}`);
    return value;
  };
  return {
    root,
    stateDir: env.VERILOCK_STATE_DIR || join(root, '.local'),
    host: env.HOST || '0.0.0.0',
    apiPort: port('API_PORT', 3000),
    workerPort: port('WORKER_PORT', 3001),
    prometheusPort: port('VERILOCK_PROMETHEUS_PORT', 9090),
    alertmanagerPort: port('VERILOCK_ALERTMANAGER_PORT', 9093),
    withPrometheus: env.VERILOCK_SKIP_PROMETHEUS !== '1',
  };
}

/**
 * The api's V8 flags, as the Dockerfile's CMD and bench/query.mjs give them too (docs/benchmarks.md,
 * "Queries"): Node's default 16 MB semi-space, on the command line so it wins over the NODE_OPTIONS the
 * worker gets (64 MB). A query-serving process wants short scavenges: at 64 MB each one paused every
 * request in flight for 40-190 ms, at 16 MB ~10 ms, and a lookup or /health/live meets one in < 1% of
 * requests, so the p99 misses them; ingest paid ~5% more api CPU per record for it.
 */
const API_NODE_FLAGS = ['--max-semi-space-size=16'];

/**
 * The programs of the local stack: api and worker from dist/ (their output on the console), and
 * Prometheus and Alertmanager (Debian packages) with the shipped rules and routing pointed at the
 * local ports (their logs in the state directory).
 */
export function localStackPrograms(options: LocalStackOptions): ProgramSpec[] {
  const node = (name: string, app: string, flags: string[] = []): ProgramSpec => ({
    name,
    command: process.execPath,
    args: [...flags, `dist/apps/${app}/src/main.js`],
  });
  const programs = [node('worker', 'worker'), node('api', 'api', API_NODE_FLAGS)];
  if (!options.withPrometheus) return programs;

  const promDir = join(options.stateDir, 'prometheus');
  const amDir = join(options.stateDir, 'alertmanager');
  mkdirSync(join(promDir, 'data'), { recursive: true });
  mkdirSync(join(amDir, 'data'), { recursive: true });
  writeFileSync(join(promDir, 'prometheus.yml'), localPrometheusConfig({ ...options, root: options.root }));
  writeFileSync(join(amDir, 'alertmanager.yml'), localAlertmanagerConfig(options.root));
  return [
    ...programs,
    {
      name: 'prometheus',
      command: 'prometheus',
      args: [
        `--config.file=${join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(promDir, 'data')}`,
        `--web.listen-address=${options.host}:${options.prometheusPort}`,
        '--enable-feature=exemplar-storage',
      ],
      logFile: join(promDir, 'prometheus.log'),
    },
    {
      name: 'alertmanager',
      command: alertmanagerBinary(),
      args: [
        `--config.file=${join(amDir, 'alertmanager.yml')}`,
        `--storage.path=${join(amDir, 'data')}`,
        `--web.listen-address=${options.host}:${options.alertmanagerPort}`,
        // A single local instance: no cluster port to collide with another checkout's.
        '--cluster.listen-address=',
      ],
      logFile: join(amDir, 'alertmanager.log'),
    },
  ];
}

/** Debian installs Alertmanager as `prometheus-alertmanager`; upstream builds call it `alertmanager`. */
export function alertmanagerBinary(): string {
  for (const name of ['prometheus-alertmanager', 'alertmanager']) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not in this directory
      }
    }
  }
  throw new Error('Alertmanager is not installed (Debian: apt-get install prometheus-alertmanager), or set VERILOCK_SKIP_PROMETHEUS=1');
}
