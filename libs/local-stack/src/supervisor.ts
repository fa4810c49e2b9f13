import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** One supervised program: restarted with backoff when it dies, until the supervisor stops. */
export interface ProgramSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Where its output goes: the supervisor's own stdout (prefixed with the name) or a log file. */
  logFile?: string;
}

/** Restart backoff: 1 s doubling to 30 s; a program that ran a minute is healthy again (back to 1 s). */
export const RESTART_BACKOFF = { initialMs: 1000, maxMs: 30_000, healthyAfterMs: 60_000 } as const;
const STOP_GRACE_MS = 15_000;

type Log = (line: string) => void;

/**
 * Runs every program and keeps it running: one crashing (an api OOM, a worker kill -9) is restarted
 * with exponential backoff and logged, while the others go on serving. Stopping sends SIGTERM to all
 * (their graceful shutdowns run), then SIGKILL after 15 s.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly programs: ProgramSpec[],
    private readonly log: Log = (line) => console.log(`[up] ${line}`),
  ) {}

  start(): void {
    for (const program of this.programs) this.run(program, 0);
  }

  private run(program: ProgramSpec, restarts: number): void {
    if (this.stopping) return;
    const startedAt = Date.now();
    const child = spawn(program.command, program.args, { env: { ...process.env, ...program.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(program.name, child);
    this.pipeOutput(program, child);
    child.on('error', (err) => this.log(`${program.name} could not start: ${err.message}`));
    this.log(`${program.name} started (pid ${child.pid ?? '?'})`);
    child.on('exit', (code, signal) => {
      this.children.delete(program.name);
      if (this.stopping) return;
      const ranMs = Date.now() - startedAt;
      const attempt = ranMs >= RESTART_BACKOFF.healthyAfterMs ? 0 : restarts;
      const delay = Math.min(RESTART_BACKOFF.initialMs * 2 ** attempt, RESTART_BACKOFF.maxMs);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      this.log(
        `${program.name} exited (${how}) after ${(ranMs / 1000).toFixed(1)} s; restarting in ${delay / 1000} s (restart #${attempt + 1})`,
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.run(program, attempt + 1);
      }, delay);
      this.timers.add(timer);
    });
  }

  private pipeOutput(program: ProgramSpec, child: ChildProcess): void {
    if (program.logFile) {
      const file = createWriteStream(program.logFile, { flags: 'a' });
      child.stdout!.pipe(file, { end: false });
      child.stderr!.pipe(file, { end: false });
      child.on('exit', () => file.end());
      return;
    }
    const prefix = `[${program.name}] `;
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) process.stdout.write(prefix + line + '\n');
      });
    }
  }

  /** The pid of a running program (for tests and logs). */
  pid(name: string): number | undefined {
    return this.children.get(name)?.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    const running = [...this.children.entries()];
    await Promise.all(
      running.map(([name, child]) => {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const killer = setTimeout(() => {
          this.log(`${name} did not stop within ${STOP_GRACE_MS / 1000} s: SIGKILL`);
          child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        return exited.then(() => clearTimeout(killer));
      }),
    );
    this.log('everything stopped');
  }
}
