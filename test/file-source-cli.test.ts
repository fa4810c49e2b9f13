import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './support/build.js';
import { type Pipeline, rowCounts, startPipeline, waitUntilStored } from './support/pipeline.js';
import { pollUntil } from './support/poll.js';
import { testConfig } from './support/test-env.js';

/** `npm run ship`'s built entry point with its stderr kept. */
function ship(args: string[], env: Record<string, string>) {
  const child = spawn('node', ['dist/apps/cli/src/ship.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { child, stderr: () => stderr, exit: once(child, 'exit') as Promise<[number | null]> };
}

const nginxLine = (id: string, status: string) =>
  JSON.stringify({ request_id: id, time: new Date().toISOString(), method: 'GET', uri: '/v1/reports', status, request_time: '0.004' });

describe('npm run ship: the queue sink, and a refused key', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'ship-cli-'));
  const run = Date.now().toString(36);
  let pipeline: Pipeline;
  let apiServer: Server;
  beforeAll(async () => {
    ensureBuilt();
    pipeline = await startPipeline(config);
    apiServer = await pipeline.api.listen(0, '127.0.0.1');
  }, 240_000);
  afterAll(async () => {
    await pipeline?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--sink queue: the lines go onto the service queue (REDIS_URL, QUEUE_PREFIX) and are stored; a bad line is reported', async () => {
    const file = join(dir, 'queue.json');
    const ids = [`req_q1_${run}`, `req_q2_${run}`];
    writeFileSync(file, `${nginxLine(ids[0], '200')}\n{"request_id":"req_bad","status":"abc"}\n${nginxLine(ids[1], '503')}\n`);
    const env = { REDIS_URL: config.redis.url, QUEUE_PREFIX: config.redis.keyPrefix, VERILOCK_API_KEY: '' };
    const shipper = ship(['--file', file, '--format', 'nginx', '--sink', 'queue', '--checkpoint', join(dir, 'queue-cp.json')], env);
    await waitUntilStored(pipeline.db, ids, 60_000);
    await pollUntil(
      async () => shipper.stderr(),
      (text) => /rejected the line .*"status":\["must be a whole number/.test(text),
      20_000,
      'reported',
    );
    shipper.child.kill('SIGTERM');
    expect((await shipper.exit)[0]).toBe(0);
    expect(shipper.stderr()).toMatch(/lines 3, shipped 2, rejected 1/);
    expect([...(await rowCounts(pipeline.db, ids)).values()]).toEqual([1, 1]);
  }, 120_000);

  it('a key the api refuses (401) stops the shipper with exit 1 and leaves no checkpoint past the unsent lines', async () => {
    const file = join(dir, 'refused.json');
    writeFileSync(file, `${nginxLine(`req_r1_${run}`, '200')}\n`);
    const url = `http://127.0.0.1:${(apiServer.address() as { port: number }).port}`;
    const checkpoint = join(dir, 'refused-cp.json');
    const shipper = ship(['--file', file, '--format', 'nginx', '--url', url, '--checkpoint', checkpoint], {
      VERILOCK_API_KEY: 'vlk_wrong_key',
    });
    const [code] = await shipper.exit;
    expect(code).toBe(1);
    expect(shipper.stderr()).toMatch(/answered 401.*set a logs:write key/);
    expect(existsSync(checkpoint)).toBe(false);
  }, 60_000);
});
