import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/redis-server.js';

/** The first ```sh block of the README's "Try it, in one terminal" section, exactly as written. */
function quickstartBlock(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### Try it, in one terminal'));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('no sh block in the README quickstart');
  return match[1];
}

/**
 * The README's quickstart, run as written in one bash (set -e), with this run's ports and a state
 * directory of its own in the environment (the block reads API_PORT & co. with the documented
 * defaults); Postgres and Redis are the test run's (DATABASE_URL / REDIS_URL).
 */
describe('README quickstart, run as written', () => {
  const state = mkdtempSync(join(tmpdir(), 'verilock-quickstart-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('starts the stack in the background, simulates, reads the data back, opens the UIs, and stops', async () => {
    const ports = {
      API_PORT: await freePort(),
      WORKER_PORT: await freePort(),
      VERILOCK_PROMETHEUS_PORT: await freePort(),
      VERILOCK_ALERTMANAGER_PORT: await freePort(),
    };
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      VERILOCK_STATE_DIR: state,
    };
    delete env.VERILOCK_API_KEY;
    const child = spawn('bash', ['-euo', 'pipefail', '-c', quickstartBlock()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    const log = `stdout:\n${stdout}\nstderr:\n${stderr.slice(-4000)}`;
    try {
      expect({ code, log }).toMatchObject({ code: 0 });
      expect(stdout).toMatch(/\[simulate\] done: \{.*"lost":0.*\}/);
      expect(stdout).toMatch(/"items":\[\{"requestId"/);
      expect(stdout).toMatch(/^status\s+requests\s+4xx\s+5xx\s+error %$/m);
      expect(stdout).toMatch(/^req_\S+ {2}4\d\d [A-Z][a-z]+/m);
      expect(stdout).toMatch(/next step\s+\S+/);
      expect(stdout).toContain('Prometheus alerts page: HTTP 200');
      expect(stdout).toContain('Alertmanager: HTTP 200');
      // The key was created and used, but never shown.
      expect(stdout + stderr).not.toMatch(/vlk_[A-Za-z0-9_-]{43}/);
      expect(stderr).toContain('[down] stopping the stack');
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
    }
    expect(await fetch(`http://127.0.0.1:${ports.API_PORT}/health/live`).catch(() => 'down')).toBe('down');
  }, 300_000);
});
