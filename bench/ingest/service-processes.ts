import { type ChildProcess, spawn } from 'node:child_process';
import { cpuSeconds as processCpuSeconds } from '../cpu-seconds.mjs';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';

/** Memory of one process as the kernel reports it, in MiB. */
export interface MemorySample {
  at: number;
  rssMiB: number;
  peakMiB: number;
}

/** The built api or worker (`dist/apps/<name>/src/main.js`) as a child process, with its memory sampled. */
export class ServiceProcess {
  readonly samples: MemorySample[] = [];
  private sampler?: NodeJS.Timeout;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(name: 'api' | 'worker', env: Record<string, string>, sampleEveryMs: number): Promise<ServiceProcess> {
    const portVar = name === 'api' ? 'API_PORT' : 'WORKER_PORT';
    // API_PORT / WORKER_PORT when set (a machine shared with others hands each its ports), else any free one.
    const port = Number(process.env[portVar]) || (await freePort());
    // BENCH_CPU_PROF_DIR=dir: each service writes a V8 CPU profile there when it stops (--cpu-prof is
    // refused in NODE_OPTIONS). Open it in Chrome DevTools, or summarise it with bench/ingest/profile-summary.mjs.
    const profile = process.env.BENCH_CPU_PROF_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [];
    // BENCH_NODE_FLAGS: flags for both services' node (V8 flags NODE_OPTIONS refuses, e.g. --single-threaded-gc).
    const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn('node', [...flags, ...profile, `dist/apps/${name}/src/main.js`], {
      // NODE_OPTIONS as the Docker image and `npm run up` start the services.
      env: { NODE_OPTIONS: '--max-semi-space-size=64', ...process.env, ...env, HOST: '127.0.0.1', [portVar]: String(port) },
      stdio: ['ignore', process.env.BENCH_SERVICE_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    });
    const service = new ServiceProcess(name, port, child);
    await service.waitReady();
    service.sampler = setInterval(() => service.sample(), sampleEveryMs);
    service.sample();
    return service;
  }

  /** The process's /metrics, in the Prometheus text format. */
  async scrape(): Promise<string> {
    return (await fetch(`${this.url}/metrics`, { headers: { accept: 'text/plain' } })).text();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  sample(): MemorySample | undefined {
    let status: string;
    try {
      status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    } catch {
      return undefined;
    }
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    const sample = { at: Date.now(), rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
    this.samples.push(sample);
    return sample;
  }

  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  /** SIGTERM (graceful shutdown), then waits for the exit. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}`);
      const ok = await fetch(`${this.url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not become ready`);
  }
}

/** A port the OS just handed out and released again (the child binds it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
