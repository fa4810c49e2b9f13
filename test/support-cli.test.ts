import type { Server } from 'node:http';
import { ensureBuilt } from './support/build.js';
import { runNode } from './support/child-process.js';
import { makeRecord } from './support/factories.js';
import { TEST_API_KEY, http } from './support/http.js';
import { keyHistory } from './support/key-history.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const CLI = 'dist/apps/cli/src/support.js';

/** `npm run -s support -- lookup|errors|spikes`, spawned for real against a running api. */
describe('support CLI (spawned against the real api)', () => {
  let pipeline: Pipeline;
  let env: Record<string, string>;
  const history = keyHistory();
  const spikeKey = `key_live_cli_${Date.now().toString(36)}`;
  // A window no other suite plants traffic in (the support-page suite uses 30 min ago), and another one on
  // each run (1h40–4h40 ago), so the spike's top route and key are this run's own on a shared database.
  const burstStart = Date.now() - (100 + Math.floor(Math.random() * 180)) * 60_000;
  const rateLimited = {
    status: 429,
    error: 'rate_limit_exceeded',
    message: 'Too many requests.',
    retryAfter: 30,
    apiKeyId: spikeKey,
    path: '/v1/sessions',
  };
  const quiet = Array.from({ length: 18 }, (_, i) =>
    makeRecord({ ...rateLimited, timestamp: new Date(burstStart - (i + 1) * 600_000).toISOString() }),
  );
  const burst = Array.from({ length: 300 }, (_, i) =>
    makeRecord({ ...rateLimited, timestamp: new Date(burstStart + i * 400).toISOString() }),
  );
  const lonely = makeRecord({
    status: 503,
    error: 'service_unavailable',
    message: 'Down for maintenance.',
    apiKeyId: `key_alone_${Date.now().toString(36)}`,
  });

  beforeAll(async () => {
    ensureBuilt();
    pipeline = await startPipeline(testConfig());
    const server: Server = await pipeline.api.listen(0, '127.0.0.1');
    env = { VERILOCK_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}`, VERILOCK_API_KEY: TEST_API_KEY };
    const all = [...history.records, ...quiet, ...burst, lonely];
    await http(server).post('/v1/logs').send(all).expect(202);
    await waitUntilStored(
      pipeline.db,
      all.map((r) => r.requestId as string),
    );
  }, 90_000);
  afterAll(() => pipeline.close());

  it('lookup: status and meaning, error, details, neighbours; the key is never printed', async () => {
    const out = await runNode(CLI, ['lookup', history.target.requestId as string], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`${history.target.requestId}  422 Unprocessable Entity`);
    expect(out.stdout).toMatch(/meaning\s+The request is well-formed but contains semantic errors/);
    expect(out.stdout).toMatch(/error\s+validation_error/);
    expect(out.stdout).toMatch(/next step\s+Fix the fields named in details, then send the request again\./);
    expect(out.stdout).toContain('"The redirect url must be a valid URL."');
    expect(out.stdout).toContain(`Same API key (${history.apiKeyId}), just before and after:`);
    for (const r of [...history.before, ...history.after]) expect(out.stdout).toContain(r.requestId as string);
    expect(out.stdout).toMatch(new RegExp(`^>\\s+${history.target.requestId}`, 'm'));
    expect(out.stdout + out.stderr).not.toContain(TEST_API_KEY);

    const json = JSON.parse((await runNode(CLI, ['lookup', history.target.requestId as string, '--json'], env)).stdout);
    expect(json.request.status).toBe(422);
    expect(json.neighbors.before).toHaveLength(history.before.length);
  });

  it('lookup: a request inside a spike says so; a lonely key says it has no neighbours; unknown ids exit 1', async () => {
    const inSpike = await runNode(CLI, ['lookup', burst[150].requestId as string], env);
    expect(inSpike.stdout).toMatch(/spike\s+inside a 429 spike .+: \d+ responses, peak [\d.]+\/min/);
    const alone = await runNode(CLI, ['lookup', lonely.requestId as string], env);
    expect(alone.stdout).toContain(`No other request from ${lonely.apiKeyId} within a day either side.`);
    const unknown = await runNode(CLI, ['lookup', 'req_cli_never_stored'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404 not_found');
  });

  it('errors --group-by key: a table with a header and the counts; --json the same numbers', async () => {
    const out = await runNode(CLI, ['errors', '--since', '5h', '--group-by', 'key'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^apiKeyId\s+requests\s+4xx\s+5xx\s+error %$/m);
    expect(out.stdout).toMatch(new RegExp(`^${spikeKey}\\s+(\\d+)\\s+\\1\\s+0\\s+100\\.0%$`, 'm'));
    const json = JSON.parse((await runNode(CLI, ['errors', '--since', '5h', '--group-by', 'key', '--json'], env)).stdout);
    const group = json.groups.find((g: { group: string }) => g.group === spikeKey);
    // The burst (300) and the quiet 429s of the last 2 hours (one every 10 minutes before it).
    expect(group).toMatchObject({ status4xx: group.total, status5xx: 0, errorRatio: 1 });
    expect(group.total).toBeGreaterThanOrEqual(300);
  });

  it('spikes --since 6h lists the planted 429 burst', async () => {
    const out = await runNode(CLI, ['spikes', '--since', '6h', '--status', '429'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^status\s+start\s+minutes\s+responses\s+peak\/min/m);
    expect(out.stdout).toMatch(new RegExp(`^429\\s+.*/v1/sessions\\s+${spikeKey}$`, 'm'));
  });

  it('sources lists each ingest source and its newest rejected lines (an admin key)', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs?format=nginx').set('Content-Type', 'application/x-ndjson').send('{"status":"teapot"}').expect(422);
    const out = await runNode(CLI, ['sources'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^source\s+last seen\s+received\s+accepted\s+rejected$/m);
    expect(out.stdout).toMatch(/^record\s+\d+ s ago\s+\d+\s+\d+\s+0$/m);
    expect(out.stdout).toMatch(/^envoy\s+never\s+0\s+0\s+0$/m);
    expect(out.stdout).toContain('nginx: last rejected (newest first, 1 kept)');
    expect(out.stdout).toContain('{"status":"teapot"}');
  });

  it('refuses to run without VERILOCK_API_KEY, and bad usage, with status 2', async () => {
    const noKey = await runNode(CLI, ['errors'], { ...env, VERILOCK_API_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('VERILOCK_API_KEY is not set');
    expect((await runNode(CLI, ['errors', '--group-by', 'colour'], env)).code).toBe(2);
    expect((await runNode(CLI, ['frobnicate'], env)).code).toBe(2);
  });
});
