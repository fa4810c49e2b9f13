import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './support/build.js';
import { TEST_API_KEY, http } from './support/http.js';
import { NginxServer } from './support/nginx-server.js';
import { type Pipeline, rowCounts, startPipeline, waitUntilStored } from './support/pipeline.js';
import { pollUntil } from './support/poll.js';
import { type StubAnswer, startStubUpstream } from './support/stub-upstream.js';
import { testConfig } from './support/test-env.js';

/** The conventions' answers behind nginx: request line, route the record should get, what the stub answers. */
const SCENARIOS: Array<{ method: string; path: string; route: string; answer: StubAnswer }> = [
  { method: 'GET', path: '/v1/sessions/ses_8f2k91ab?expand=steps', route: '/v1/sessions/:id', answer: { status: 200 } },
  { method: 'POST', path: '/v1/sessions', route: '/v1/sessions', answer: { status: 201 } },
  { method: 'DELETE', path: '/v1/api-keys/key_live_9f8e7d', route: '/v1/api-keys/:id', answer: { status: 204 } },
  { method: 'POST', path: '/v1/webhooks', route: '/v1/webhooks', answer: { status: 400, error: 'bad_request' } },
  { method: 'GET', path: '/v1/account', route: '/v1/account', answer: { status: 401, error: 'unauthorized' } },
  { method: 'GET', path: '/v1/admin/keys', route: '/v1/admin/keys', answer: { status: 403, error: 'forbidden' } },
  { method: 'GET', path: '/v1/documents/doc_00000404', route: '/v1/documents/:id', answer: { status: 404, error: 'not_found' } },
  {
    method: 'POST',
    path: '/v1/sessions/ses_8f2k91ab/approve',
    route: '/v1/sessions/:id/approve',
    answer: { status: 409, error: 'conflict' },
  },
  { method: 'POST', path: '/v1/verifications', route: '/v1/verifications', answer: { status: 422, error: 'validation_error' } },
  { method: 'GET', path: '/v1/reports', route: '/v1/reports', answer: { status: 429, error: 'rate_limit_exceeded', retryAfter: 30 } },
  { method: 'GET', path: '/v1/status', route: '/v1/status', answer: { status: 503, error: 'service_unavailable', retryAfter: 120 } },
  { method: 'GET', path: '/v1/exports/exp_1234abcd', route: '/v1/exports/:id', answer: { status: 500, error: 'internal_error' } },
  { method: 'GET', path: '/v1/search?q=slow', route: '/v1/search', answer: { status: 200, delayMs: 300 } },
];

interface Sent {
  id: string;
  scenario: (typeof SCENARIOS)[number];
  status: number;
  retryAfter: string | null;
}

/** `npm run ship`'s built entry point as a child process, its stderr kept. */
function startShip(args: string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn('node', ['dist/apps/cli/src/ship.js', ...args], {
    env: { ...process.env, VERILOCK_API_KEY: TEST_API_KEY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { child, stderr: () => stderr };
}

const shippedIn = (stderr: string) => Number(/shipped (\d+), rejected (\d+)[^\n]*$/.exec(stderr.trimEnd())?.[1]);

describe('the file source on a real nginx access log (Debian nginx, the documented log_format and map)', () => {
  const runId = Date.now().toString(36);
  const dir = mkdtempSync(join(tmpdir(), 'nginx-file-source-'));
  let pipeline: Pipeline;
  let apiServer: Server;
  let upstream: Server;
  let nginx: NginxServer;
  let ship: ReturnType<typeof startShip> | undefined;
  const sent: Sent[] = [];

  beforeAll(async () => {
    ensureBuilt();
    pipeline = await startPipeline(testConfig());
    apiServer = await pipeline.api.listen(0, '127.0.0.1');
    const stub = await startStubUpstream(Object.fromEntries(SCENARIOS.map((s) => [`${s.method} ${s.path.split('?')[0]}`, s.answer])));
    upstream = stub.server;
    nginx = await NginxServer.start(dir, stub.port);
  }, 240_000);

  afterAll(async () => {
    ship?.child.kill('SIGKILL');
    await nginx?.stop();
    upstream?.close();
    await pipeline?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every scenario twice through nginx: with an incoming X-Request-Id and without (nginx's $request_id). */
  async function sendRound(tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, scenario] of SCENARIOS.entries()) {
      for (const incoming of [`req_${tag}_${i}_${runId}`, undefined]) {
        const res = await fetch(`http://127.0.0.1:${nginx.port}${scenario.path}`, {
          method: scenario.method,
          headers: incoming ? { 'X-Request-Id': incoming } : {},
        });
        await res.arrayBuffer();
        const id = res.headers.get('x-request-id')!;
        expect(id).toBe(incoming ?? id);
        if (!incoming) expect(id).toMatch(/^[0-9a-f]{32}$/);
        sent.push({ id, scenario, status: res.status, retryAfter: res.headers.get('retry-after') });
        ids.push(id);
      }
    }
    return ids;
  }

  function runShip() {
    const checkpoint = join(dir, 'ship-checkpoint.json');
    const url = `http://127.0.0.1:${(apiServer.address() as { port: number }).port}`;
    ship = startShip(['--file', nginx.accessLog, '--format', 'nginx', '--url', url, '--checkpoint', checkpoint, '--progress-seconds', '1']);
    return ship;
  }

  it('ships every response across a rename rotation (kill -USR1), a restart and a copytruncate, each found by its id', async () => {
    const first = runShip();
    // An incoming id the record's rule refuses is replaced by nginx's own (the map's regex entries).
    const odd = await fetch(`http://127.0.0.1:${nginx.port}/v1/sessions`, { method: 'POST', headers: { 'X-Request-Id': 'not valid!' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    sent.push({ id: odd.headers.get('x-request-id')!, scenario: SCENARIOS[1], status: odd.status, retryAfter: null });
    await waitUntilStored(pipeline.db, [...(await sendRound('a')), sent[0].id], 60_000);

    // Rename rotation mid-stream: lines still go to the renamed file until nginx reopens its logs.
    renameSync(nginx.accessLog, `${nginx.accessLog}.1`);
    const beforeReopen = await sendRound('b1');
    nginx.reopenLogs();
    await pollUntil(async () => existsSync(nginx.accessLog), Boolean, 10_000, 'nginx reopened its access log');
    const afterReopen = await sendRound('b2');
    await waitUntilStored(pipeline.db, [...beforeReopen, ...afterReopen], 60_000);
    await pollUntil(
      async () => first.stderr(),
      (text) => /was rotated/.test(text),
      20_000,
      'the rotation reported',
    );

    // SIGTERM: a clean stop with its last progress line; lines written meanwhile are shipped by the next run.
    first.child.kill('SIGTERM');
    const [code] = await once(first.child, 'exit');
    expect(code).toBe(0);
    const whileStopped = await sendRound('c1');
    const second = runShip();
    await waitUntilStored(pipeline.db, whileStopped, 60_000);

    // copytruncate (logrotate's other mode) once everything read so far is acknowledged.
    const checkpoint = join(dir, 'ship-checkpoint.json');
    await pollUntil(
      async () => JSON.parse(readFileSync(checkpoint, 'utf8')).offset,
      (o) => o === statSync(nginx.accessLog).size,
      30_000,
      'acknowledged',
    );
    copyFileSync(nginx.accessLog, `${nginx.accessLog}.2`);
    truncateSync(nginx.accessLog, 0);
    await pollUntil(
      async () => second.stderr(),
      (text) => /shrank below offset/.test(text),
      20_000,
      'the truncation seen',
    );
    await waitUntilStored(pipeline.db, await sendRound('d'), 60_000);
    second.child.kill('SIGTERM');
    expect((await once(second.child, 'exit'))[0]).toBe(0);

    // Nothing lost, nothing sent twice: each response once in the logs, once shipped, once stored.
    const lines = new Map<string, { request_time: string }>();
    for (const file of [`${nginx.accessLog}.1`, `${nginx.accessLog}.2`, nginx.accessLog]) {
      for (const text of readFileSync(file, 'utf8').split('\n').filter(Boolean)) lines.set(JSON.parse(text).request_id, JSON.parse(text));
    }
    expect(lines.size).toBe(sent.length);
    expect(shippedIn(first.stderr()) + shippedIn(second.stderr())).toBe(sent.length);
    expect(second.stderr()).toMatch(/rejected 0, tooLong 0/);
    const counts = await rowCounts(
      pipeline.db,
      sent.map((s) => s.id),
    );
    expect([...counts.values()].every((n) => n === 1) && counts.size === sent.length).toBe(true);

    const api = http(pipeline.api.getHttpServer());
    for (const { id, scenario, status, retryAfter } of sent) {
      expect(status).toBe(scenario.answer.status);
      expect(retryAfter).toBe(scenario.answer.retryAfter === undefined ? null : String(scenario.answer.retryAfter));
      const { body } = await api.get(`/v1/requests/${id}`).expect(200);
      expect(body).toMatchObject({
        requestId: id,
        method: scenario.method,
        path: scenario.path.split('?')[0],
        route: scenario.route,
        status: scenario.answer.status,
        error: scenario.answer.error ?? null,
        retryAfter: scenario.answer.retryAfter ?? null,
        durationMs: Number(lines.get(id)!.request_time) * 1000,
      });
      expect(body.durationMs).toBeGreaterThanOrEqual(scenario.answer.delayMs ?? 0);
    }
  }, 240_000);
});
