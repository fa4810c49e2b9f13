// By hand: bash scripts/with-services.sh bash -c 'bash scripts/build.sh && node bench/dead-letter-isolation.mjs'
// What record-level isolation costs: the worker's own write (RowsAndRollupsWriter.storeBatch with the
// rollups) of batches of 1000 new records, all valid (one COPY), then with 1 and with 10 records
// Postgres refuses (durationMs null: NOT NULL), split down to the record as the worker does. Prints
// the median time per batch and the writes each took. Runs in a scratch database beside DATABASE_URL's
// (created, migrated and dropped here), so the service's own rollups are never touched.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createScratchDatabase } from './scratch-database.mjs';
import { RequestLogPartitions, RowsAndRollupsWriter } from '#libs/store';
import { storeIsolating } from '../dist/libs/store/src/writer/record-isolation.js';
import { refusedForARecord } from '../dist/libs/store/src/writer/write-errors.js';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const SIZE = 1000;
const SCRATCH = 'verilock_bench_dead_letter';
const scratch = await createScratchDatabase(SCRATCH);
const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
const repository = new RowsAndRollupsWriter(pool, new RequestLogPartitions(pool));

function record(i) {
  return {
    requestId: `bench_dl_${randomUUID()}`,
    timestamp: new Date(Date.now() - (i % 60) * 1000).toISOString(),
    method: 'GET',
    path: '/v1/sessions/ses_1',
    route: '/v1/sessions/:id',
    status: 200,
    durationMs: 12.5,
    error: null,
    message: null,
    details: null,
    retryAfter: null,
    apiKeyId: 'key_bench_dl',
    clientIp: null,
    userAgent: null,
  };
}

async function phase(bad) {
  const times = [];
  let writes = 0;
  for (let b = 0; b < BATCHES; b++) {
    const records = Array.from({ length: SIZE }, (_, i) => record(i));
    for (let k = 0; k < bad; k++) records[Math.floor(((k + 0.5) * SIZE) / bad)].durationMs = null;
    const batch = { records, receivedAt: new Date().toISOString(), ingestKeyId: 'key_bench' };
    const write = (part) => (writes++, repository.storeBatch(part.records, part.receivedAt));
    const started = process.hrtime.bigint();
    try {
      await write(batch);
    } catch (err) {
      if (!refusedForARecord(err)) throw err;
      const refused = await storeIsolating(batch, err, write, []);
      if (refused.length !== bad) throw new Error(`expected ${bad} refused, got ${refused.length}`, { cause: err });
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((x, y) => x - y);
  console.log(
    `${bad} refused per ${SIZE}: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms per batch, ` +
      `${(writes / BATCHES).toFixed(1)} writes per batch`,
  );
}

await pool.query(
  "SELECT ensure_request_logs_partition(d::date) FROM generate_series(current_date - 1, current_date + 1, interval '1 day') AS d",
);
for (const bad of [0, 1, 10]) await phase(bad);
await pool.end();
await scratch.drop();
