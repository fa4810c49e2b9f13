import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { ensureBuilt } from './support/build.js';
import { freePort } from './support/redis-server.js';
import { TEST_API_KEY } from './support/http.js';

/**
 * `npm run up`'s supervisor (dist/apps/stack/src/main.js, spawned for real without Prometheus):
 * a worker killed with kill -9 is restarted and logged, while the api never stops answering.
 */
describe('npm run up: supervised api and worker', () => {
  let stack: ChildProcess;
  let output = '';
  let apiPort: number;
  let workerPort: number;

  beforeAll(async () => {
    ensureBuilt();
    [apiPort, workerPort] = [await freePort(), await freePort()];
    stack = spawn('node', ['dist/apps/stack/src/main.js'], {
      env: {
        ...process.env,
        API_PORT: String(apiPort),
        WORKER_PORT: String(workerPort),
        HOST: '127.0.0.1',
        VERILOCK_SKIP_PROMETHEUS: '1',
        BOOTSTRAP_ADMIN_KEY: TEST_API_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout!.on('data', (d) => (output += d));
    stack.stderr!.on('data', (d) => (output += d));
    await until(async () => (await live(apiPort)) && (await live(workerPort)), 'api and worker live', 60_000);
  }, 90_000);

  afterAll(async () => {
    if (stack.exitCode === null) {
      stack.kill('SIGTERM');
      await once(stack, 'exit');
    }
  }, 30_000);

  it('restarts a worker killed with kill -9 (with a logged backoff) while the api keeps answering', async () => {
    const workerPid = Number(/\[up\] worker started \(pid (\d+)\)/.exec(output)![1]);
    const apiPid = Number(/\[up\] api started \(pid (\d+)\)/.exec(output)![1]);
    const apiAnswers: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await fetch(`http://127.0.0.1:${apiPort}/health/live`).catch(() => undefined);
        apiAnswers.push(res?.status ?? 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    process.kill(workerPid, 'SIGKILL');
    await until(
      async () => /worker exited \(signal SIGKILL\) after [\d.]+ s; restarting in 1 s \(restart #1\)/.test(output),
      'the restart logged',
      10_000,
    );
    await until(async () => /\[up\] worker started \(pid (\d+)\)/g.test(output.split('restart #1')[1] ?? ''), 'a new worker', 20_000);
    await until(() => live(workerPort), 'the new worker live', 60_000);
    polling = false;
    await poller;

    const newPid = Number(/\[up\] worker started \(pid (\d+)\)/.exec(output.split('restart #1')[1])![1]);
    expect(newPid).not.toBe(workerPid);
    expect(apiAnswers.length).toBeGreaterThan(5);
    expect(apiAnswers.every((status) => status === 200)).toBe(true);
    // The api is the same process all along: it was never restarted.
    expect(output.match(/\[up\] api started/g)).toHaveLength(1);
    expect(() => process.kill(apiPid, 0)).not.toThrow();
  }, 120_000);

  it('stops everything on SIGTERM', async () => {
    stack.kill('SIGTERM');
    const [code] = await once(stack, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('[up] everything stopped');
    expect(await live(apiPort)).toBe(false);
    expect(await live(workerPort)).toBe(false);
  }, 30_000);
});

async function live(port: number): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.ok ?? false;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
