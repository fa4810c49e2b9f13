import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './redis-server.js';

export interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data: { resultType: string; result: { metric: Record<string, string>; value?: [number, string] }[] };
}

/**
 * A real Prometheus (the Debian package) on a free port with its own temporary storage, scraping
 * the given targets and evaluating the given rule files every `interval`. Stopped by PID.
 */
export class PrometheusServer {
  private output = '';

  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly dir: string,
  ) {
    process.stdout?.on('data', (d) => (this.output += d));
    process.stderr?.on('data', (d) => (this.output += d));
  }

  static async start(options: { jobs: Record<string, string>; ruleFiles: string[]; interval?: string }): Promise<PrometheusServer> {
    const interval = options.interval ?? '1s';
    const dir = mkdtempSync(join(tmpdir(), 'verilock-prometheus-'));
    const config = {
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      rule_files: options.ruleFiles,
      scrape_configs: Object.entries(options.jobs).map(([job, target]) => ({ job_name: job, static_configs: [{ targets: [target] }] })),
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--enable-feature=exemplar-storage',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir);
    await server.waitFor(async () => (await fetch(`${server.url}/-/ready`)).ok, 'Prometheus ready');
    return server;
  }

  /** An instant query through the HTTP API, answered as Prometheus gives it (errors included). */
  async query(expr: string): Promise<PromResponse> {
    const res = await fetch(`${this.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
    return (await res.json()) as PromResponse;
  }

  async get<T>(path: string): Promise<T> {
    return (await (await fetch(`${this.url}${path}`)).json()) as T;
  }

  /** Polls `condition` (every 200 ms, up to `timeoutMs`), failing with Prometheus's own log. */
  async waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.process.exitCode !== null) throw new Error(`prometheus exited (${this.process.exitCode}):\n${this.output.slice(-2000)}`);
      if (await condition().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${await this.diagnostics()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The scrape targets' health and Prometheus's own log, for failure messages. */
  private async diagnostics(): Promise<string> {
    const targets = await this.get<{ data: { activeTargets: unknown[] } }>('/api/v1/targets').catch((err: Error) => err.message);
    return `targets: ${JSON.stringify(targets)}\nlog:\n${this.output.slice(-2000)}`;
  }

  /** True when `expr` returns at least one sample. */
  async hasData(expr: string): Promise<boolean> {
    const res = await this.query(expr);
    return res.status === 'success' && res.data.result.length > 0;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.pid !== undefined) {
      const exited = new Promise((r) => this.process.once('exit', r));
      process.kill(this.process.pid, 'SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
