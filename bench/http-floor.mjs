// The HTTP floor beside its ceiling, run by hand: `npm run bench:floor` (builds; the api needs Postgres and
// Redis, which it starts like `npm test`), or `node bench/http-floor.mjs` with DATABASE_URL and REDIS_URL set.
// Measures, back to back in one session, `wrk -t1 -c1 --latency` (one connection, keep-alive) on:
//   - a bare node:http server answering a small JSON body,
//   - a bare Fastify server doing the same,
//   - the built api's GET /health/live (no query),
// each for BENCH_SECONDS (10) and BENCH_REPEAT (3) times, and prints wrk's p50/p99 and the server's CPU
// ms per request (user + system from /proc, far less load-sensitive than latency). What the api adds
// over the bare servers is the framework's; what the bare servers show is the machine's own ceiling.
// The three run one after the other on API_PORT (one of yours on a shared machine); BENCH_API_NODE_FLAGS
// adds node flags to the api's (e.g. '--trace-gc').
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { cpuSeconds } from './cpu-seconds.mjs';
import { waitForHealth } from './wait-for-health.mjs';
import { parseWrk } from './wrk-output.mjs';

const BODY = JSON.stringify({ status: 'ok', info: { process: { status: 'up' } } });

// Child mode: one bare server, answering every path with BODY.
const serve = process.argv[2];
if (serve === 'node') {
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  }).listen(Number(process.argv[3]), '127.0.0.1');
} else if (serve === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.get('/health/live', (_request, reply) => reply.type('application/json; charset=utf-8').send(BODY));
  await app.listen({ port: Number(process.argv[3]), host: '127.0.0.1' });
} else {
  await measureAll();
}

async function measureAll() {
  const apiPort = Number(process.env.API_PORT ?? 20000 + Math.floor(Math.random() * 20000));
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  const nodeFlags = process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const servers = [
    ['bare node:http', apiPort, [process.argv[1], 'node', String(apiPort)]],
    ['bare Fastify', apiPort, [process.argv[1], 'fastify', String(apiPort)]],
    // As bench/query.mjs and production start it (the api's young generation on its command line).
    ['api GET /health/live', apiPort, ['--max-semi-space-size=16', ...nodeFlags, 'dist/apps/api/src/main.js']],
  ];
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; wrk -t1 -c1 -d${seconds}s, ${repeat} runs`,
  );
  for (const [label, port, args] of servers) {
    const child = spawn('node', args, {
      env: { ...process.env, API_PORT: String(port), HOST: '127.0.0.1', QUEUE_PREFIX: 'bench-floor' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await waitForHealth(port, { child });
      await wrk(child.pid, port, 2); // warms the JIT up: not counted
      const cells = [];
      for (let run = 0; run < repeat; run++) cells.push(await wrk(child.pid, port, seconds));
      console.log(`${label.padEnd(24)} ${cells.join('   ')}`);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  console.log('(each cell: wrk p50 / p99 ms, server CPU ms per request)');
}

async function wrk(pid, port, seconds) {
  const before = cpuSeconds(pid);
  const { stdout } = await promisify(execFile)('wrk', ['-t1', '-c1', `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/health/live`]);
  const { p50, p99, requests } = parseWrk(stdout);
  const cpuMs = ((cpuSeconds(pid) - before) * 1000) / requests;
  return `${p50.toFixed(2)} / ${p99.toFixed(2)} (${cpuMs.toFixed(3)})`;
}
