import pg from 'pg';
import { makeRecords } from './support/factories.js';
import { http } from './support/http.js';
import { promtoolCheckMetrics, sampleSum } from './support/metrics-text.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { pollUntil } from './support/poll.js';
import { DisposablePostgres } from './support/postgres-server.js';
import { uniqueTag } from './support/plant.js';
import { testConfig } from './support/test-env.js';

/**
 * The api's query side on a real streaming replica (pg_basebackup -R of a private primary). Replay is
 * paused to hold the replica behind: what the api answers then shows which server answered.
 */
describe('reads from a streaming replica (DATABASE_READ_URL)', () => {
  let primary: DisposablePostgres;
  let replica: DisposablePostgres;
  let replicaDb: pg.Pool;
  let pipeline: Pipeline;
  const apiKeyId = `key_replica_${uniqueTag()}`;
  const before: string[] = [];
  const behind: string[] = [];

  beforeAll(async () => {
    primary = await DisposablePostgres.start();
    replica = await DisposablePostgres.replicaOf(primary);
    replicaDb = new pg.Pool({ connectionString: replica.url, max: 2 });
    replicaDb.on('error', () => undefined); // the replica is stopped on purpose below
    pipeline = await startPipeline(testConfig({ DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url }));
  }, 90_000);
  afterAll(async () => {
    await pipeline?.close();
    await replicaDb?.end();
    replica?.destroy();
    primary?.destroy();
  });

  const api = () => http(pipeline.api.getHttpServer());
  const window = () => ({ from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
  const searched = async () => {
    const res = await api()
      .get('/v1/requests')
      .query({ apiKeyId, limit: '500', ...window() })
      .expect(200);
    return (res.body.items as { requestId: string }[]).map((item) => item.requestId).sort();
  };
  const counted = async () => {
    const hour = 3600_000;
    const from = new Date(Math.floor(Date.now() / hour - 1) * hour).toISOString();
    const to = new Date(Math.ceil(Date.now() / hour + 1) * hour).toISOString();
    const res = await api().get('/v1/error-rates').query({ apiKeyId, from, to, interval: '1h' }).expect(200);
    return (res.body.series as { total: number }[]).reduce((sum, series) => sum + series.total, 0);
  };
  const readiness = async () => {
    const res = await api().get('/health/ready');
    return { status: res.status, body: res.body as { info?: Record<string, Record<string, string>> } };
  };
  const metrics = async () => (await api().get('/metrics').expect(200)).text;
  const fallbacks = async (reason: string) => sampleSum(await metrics(), 'verilock_database_replica_fallbacks_total', { reason });
  const ingest = async (count: number, into: string[]) => {
    const records = makeRecords(count, { apiKeyId });
    await api().post('/v1/logs').send(records).expect(202);
    const ids = records.map((r) => r.requestId as string);
    await waitUntilStored(pipeline.db, ids);
    into.push(...ids);
    return ids;
  };
  const replicaHas = async (ids: string[]) =>
    Number((await replicaDb.query('SELECT count(*) AS n FROM request_logs WHERE request_id = ANY($1)', [ids])).rows[0].n) === ids.length;

  it('serves search, error rates and neighbours from the replica; a lookup it misses is found on the primary', async () => {
    await ingest(20, before);
    await pollUntil(() => replicaHas(before), Boolean, 20_000, 'replica replayed the first records');
    // Polled: on a loaded machine a readiness check (1 s each) can miss once; the outcome is what counts.
    const ready = await pollUntil(readiness, (res) => res.body.info?.reads?.from === 'replica', 20_000, 'reads on the replica');
    expect(ready).toMatchObject({ status: 200, body: { info: { reads: { status: 'up', from: 'replica' } } } });

    await replicaDb.query('SELECT pg_wal_replay_pause()');
    await pollUntil(
      async () => (await replicaDb.query('SELECT pg_get_wal_replay_pause_state() AS s')).rows[0].s,
      (s) => s === 'paused',
      10_000,
      'replay paused',
    );
    const missesBefore = await fallbacks('miss');
    // Stored on the primary, not replayed on the replica: each answer below says which server answered.
    const fresh = await ingest(20, behind);
    expect(await replicaHas(fresh)).toBe(false);

    expect(await searched()).toEqual([...before].sort()); // searches read the replica as it is: no fallback
    expect(await counted()).toBe(20);
    const neighbours = await api().get(`/v1/requests/${before[19]}/neighbors`).query({ limit: '50' }).expect(200);
    expect(neighbours.body.after.map((r: { requestId: string }) => r.requestId).filter((id: string) => fresh.includes(id))).toEqual([]);
    await api().get(`/v1/requests/${before[0]}`).expect(200);
    expect(await fallbacks('miss')).toBe(missesBefore); // found on the replica
    const lookup = await api().get(`/v1/requests/${fresh[0]}`).expect(200);
    expect(lookup.body.requestId).toBe(fresh[0]);
    expect(await fallbacks('miss')).toBe(missesBefore + 1); // missed on the replica, found on the primary
    await api().get('/v1/requests/req_never_stored_anywhere').expect(404);
    expect(await fallbacks('miss')).toBe(missesBefore + 2);

    // The lag is exported and grows while replay stands still.
    const lag = async () => {
      const text = await metrics();
      return {
        up: sampleSum(text, 'verilock_database_replica_up'),
        seconds: sampleSum(text, 'verilock_database_replica_lag_seconds'),
        bytes: sampleSum(text, 'verilock_database_replica_lag_bytes'),
      };
    };
    const first = await pollUntil(lag, (l) => l.seconds > 0 && l.bytes > 0, 10_000, 'lag seen while paused');
    expect(first.up).toBe(1);
    expect(promtoolCheckMetrics(await metrics())).toEqual({ status: 0, output: '' });
    const later = await pollUntil(lag, (l) => l.seconds > first.seconds + 1, 10_000, 'lag growing while paused');
    expect(later.bytes).toBeGreaterThanOrEqual(first.bytes);

    await replicaDb.query('SELECT pg_wal_replay_resume()');
    await pollUntil(searched, (ids) => ids.length === 40, 20_000, 'search shows the replayed records');
    expect(await counted()).toBe(40);
    await pollUntil(lag, (l) => l.seconds === 0, 20_000, 'lag back to 0 once replayed');
  }, 90_000);

  it('measures the lag under ingest (printed), and the replica catches up', async () => {
    // The api's gauges, and Postgres's own view from the primary (pg_stat_replication) as a cross-check.
    const samples: { seconds: number; bytes: number; replayLag: number }[] = [];
    let ingesting = true;
    const sampling = (async () => {
      while (ingesting) {
        const text = await metrics();
        const { rows } = await pipeline.db.query<{ lag: number | null }>(
          'SELECT extract(epoch FROM replay_lag)::float8 AS lag FROM pg_stat_replication',
        );
        const seconds = sampleSum(text, 'verilock_database_replica_lag_seconds');
        samples.push({ seconds, bytes: sampleSum(text, 'verilock_database_replica_lag_bytes'), replayLag: rows[0]?.lag ?? 0 });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const started = Date.now();
    const batches = Array.from({ length: 10 }, () => makeRecords(1000, { apiKeyId }));
    await Promise.all(batches.map((batch) => api().post('/v1/logs').send(batch).expect(202)));
    const ids = batches.flat().map((r) => r.requestId as string);
    await waitUntilStored(pipeline.db, ids, 60_000);
    const storedMs = Date.now() - started;
    await pollUntil(() => replicaHas(ids), Boolean, 30_000, 'replica replayed the ingest');
    ingesting = false;
    await sampling;
    behind.push(...ids);
    const figures = { records: ids.length, storedMs, samples: samples.length, ...spread(samples) };
    console.log(`[read replica lag under ingest] ${JSON.stringify(figures)}`);
    expect(samples.length).toBeGreaterThan(0);
  }, 120_000);

  it('keeps lookups, search, error rates and readiness working on the primary while the replica is down', async () => {
    const unavailableBefore = await fallbacks('unavailable');
    replica.stop();
    for (const id of [before[3], behind[7]]) expect((await api().get(`/v1/requests/${id}`).expect(200)).body.requestId).toBe(id);
    expect(await searched()).toHaveLength(500);
    expect(await counted()).toBe(before.length + behind.length);
    await api().get('/v1/spikes').query(window()).expect(200);
    const ready = await pollUntil(readiness, (res) => res.status === 200, 20_000, 'api ready without its replica');
    expect(ready.body.info).toMatchObject({ postgres: { status: 'up' }, reads: { status: 'up', from: 'primary' } });
    const text = await metrics();
    expect(sampleSum(text, 'verilock_database_replica_fallbacks_total', { reason: 'unavailable' })).toBeGreaterThan(unavailableBefore);
    expect(sampleSum(text, 'verilock_database_replica_up')).toBe(0);
    expect(text).not.toMatch(/^verilock_database_replica_lag_seconds /m);

    replica.startServer();
    await pollUntil(
      async () => (await readiness()).body.info?.reads?.from,
      (from) => from === 'replica',
      30_000,
      'reads back on the replica',
    );
    await pollUntil(
      async () => sampleSum(await metrics(), 'verilock_database_replica_up'),
      (up) => up === 1,
      20_000,
      'replica up again',
    );
  }, 90_000);
});

/** Median and maximum of each figure over the samples. */
function spread<K extends string>(samples: Record<K, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(samples[0] ?? {}) as K[]) {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    out[`${key}P50`] = sorted[Math.floor(sorted.length / 2)];
    out[`${key}Max`] = sorted[sorted.length - 1];
  }
  return out;
}
