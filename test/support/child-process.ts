import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs a built entry point (`dist/…`) to completion; resolves with its exit code and output. */
export async function runNode(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn('node', [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

/**
 * The real worker (node dist/apps/worker/src/main.js), or the real api (`app: 'api'`), as a child process
 * a test can kill -9 or SIGTERM.
 */
export class WorkerProcess {
  /** Every worker started and not yet exited, so a failing test can still stop them (afterAll: stopAll). */
  private static readonly running = new Set<WorkerProcess>();
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: string | null }>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    WorkerProcess.running.add(this);
    this.exited = once(child, 'exit').then(([code, signal]) => {
      WorkerProcess.running.delete(this);
      return { code: code as number | null, signal: signal as string | null };
    });
  }

  /** SIGKILLs every worker still running. */
  static async stopAll(): Promise<void> {
    await Promise.all([...WorkerProcess.running].map((w) => w.kill9()));
  }

  /**
   * Starts a worker (or an api) and waits until it listens (a worker's queue consumer is then running).
   * `readyMs`: how long it may take, more when a test starts several processes at once.
   */
  static async start(env: Record<string, string>, options: { app?: 'worker' | 'api'; readyMs?: number } = {}): Promise<WorkerProcess> {
    const child = spawn('node', [`dist/apps/${options.app ?? 'worker'}/src/main.js`], {
      env: { ...process.env, WORKER_PORT: '0', API_PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    // Generous by default: on a loaded 2-core CI a Nest app has taken over 20 s to start.
    const deadline = Date.now() + (options.readyMs ?? 60_000);
    // main.ts logs this once the port accepts connections (Nest's "successfully started" comes at init, before).
    while (!worker.output.includes('listening on http')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${options.app ?? 'worker'} did not start:\n${worker.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return worker;
  }

  /** SIGKILL: no shutdown hook runs, jobs in hand stay locked until their lock expires. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, and the exit status once the worker has shut down. */
  async terminate(): Promise<{ code: number | null; signal: string | null }> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** SIGSTOP freezes the process (its connections stay open, its job locks stop being renewed); SIGCONT resumes it. */
  signal(name: 'SIGSTOP' | 'SIGCONT'): void {
    this.child.kill(name);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }
}
