import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { type AccessLogRecord, validateRecord } from '#libs/access-log';
import { LogWriterProcessor } from '#libs/log-writer';
import { METRICS_REGISTRY } from '#libs/metrics';
import { INGEST_JOB, INGEST_QUEUE, type IngestJobData, ingestJobData } from '#libs/queue';
import { rollupAgreement } from './support/derived-counts.js';
import { makeRecord, makeRecords } from './support/factories.js';
import { http } from './support/http.js';
import { type Pipeline, rowCounts, startPipeline } from './support/pipeline.js';
import { pollUntil } from './support/poll.js';
import { testConfig } from './support/test-env.js';

/**
 * "Accepted means stored, or visible in the dead letter with why": jobs are queued here directly,
 * carrying records validation would not let through (as a record that still reaches Postgres
 * unstorable would be), beside valid ones, and run by the real worker against the real Postgres.
 */
describe('dead letter: a batch Postgres refuses for some records stores the rest and parks those', () => {
  let pipeline: Pipeline;
  let queue: Queue<IngestJobData>;
  let registry: Registry;
  beforeAll(async () => {
    // Completed jobs are kept so each test can read its job's outcome (by default they are removed at once).
    pipeline = await startPipeline(testConfig({ JOB_KEEP_COMPLETED: '1000' }));
    queue = pipeline.api.get<Queue<IngestJobData>>(getQueueToken(INGEST_QUEUE));
    registry = pipeline.worker!.get<Registry>(METRICS_REGISTRY);
  });
  afterAll(() => pipeline.close());

  const valid = (raw: Record<string, unknown>[]): AccessLogRecord[] =>
    raw.map((r) => {
      const result = validateRecord(r, { maxFutureSkewSeconds: 60, maxAgeDays: 1 });
      if (!result.ok) throw new Error(`factory record invalid: ${JSON.stringify(result.details)}`);
      return result.record;
    });

  /** Queues a job as a producer would (bypassing validation) and waits until the worker finished it. */
  async function runJob(records: unknown[], ingestKeyId: string | null): Promise<Job<IngestJobData>> {
    const data = { ...ingestJobData(records as AccessLogRecord[], new Date().toISOString(), 'http'), ingestKeyId };
    const { id } = await queue.add(INGEST_JOB, data);
    const state = await pollUntil(
      () => queue.getJobState(id!),
      (s) => s === 'completed' || s === 'failed',
      30_000,
      `job ${id} finished`,
    );
    const job = (await queue.getJob(id!))!;
    expect({ state, failedReason: job.failedReason }).toEqual({ state: 'completed', failedReason: undefined });
    return job;
  }

  const counter = async (name: string, labels: Record<string, string> = {}) => {
    const { values } = await registry.getSingleMetric(name)!.get();
    return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((n, v) => n + v.value, 0);
  };
  const counters = async () => ({
    stored: await counter('verilock_ingest_records_stored_total'),
    dataException: await counter('verilock_ingest_records_dead_lettered_total', { reason: 'data_exception' }),
    constraint: await counter('verilock_ingest_records_dead_lettered_total', { reason: 'integrity_constraint_violation' }),
    conflicting: await counter('verilock_ingest_records_conflicting_total'),
  });
  /** The job's parked records (job ids restart with each test run's queue prefix: its record ids tell them apart). */
  const parkedOf = async (job: Job<IngestJobData>) => {
    const ids = (job.data.rows ?? []).map((row) => row[0]);
    const sql =
      'SELECT request_id, reason, sqlstate, message, record, ingest_key_id, job_id FROM dead_letter_records ' +
      'WHERE job_id = $1 AND request_id = ANY($2) ORDER BY sqlstate';
    return (await pipeline.db.query(sql, [job.id, ids])).rows;
  };

  it(
    'stores the valid records with exact rollups, parks each refused one with its reason, completes the job, ' +
      'and a redelivery counts nothing twice',
    async () => {
      const key = `key_dl_${randomUUID().slice(0, 8)}`;
      const good = valid(makeRecords(20, { apiKeyId: key }));
      const [nullDuration, nulInDetails, hugeStatus] = valid(makeRecords(3, { apiKeyId: key }));
      const bad = [
        { ...nullDuration, durationMs: null }, // NOT NULL: 23502
        { ...nulInDetails, status: 400, details: { note: 'a NUL \u0000 here' } }, // jsonb refuses \u0000: 22P05
        { ...hugeStatus, status: 70000 }, // smallint: 22003
      ];
      const before = await counters();
      const job = await runJob([...good.slice(0, 7), bad[0], ...good.slice(7, 15), bad[1], bad[2], ...good.slice(15)], 'key_ingest_1');

      expect(job.returnvalue).toEqual({ inserted: 20, duplicates: 0, deadLettered: 3, conflicting: 0 });
      expect(
        await rowCounts(
          pipeline.db,
          good.map((r) => r.requestId),
        ),
      ).toEqual(new Map(good.map((r) => [r.requestId, 1])));
      expect(
        await rowCounts(
          pipeline.db,
          bad.map((r) => r.requestId),
        ),
      ).toEqual(new Map());
      expect(await rollupAgreement(pipeline.db, key)).toEqual({ counted: 20, cellsOff: 0 });
      const parked = await parkedOf(job);
      expect(parked.map((p) => [p.request_id, p.reason, p.sqlstate])).toEqual([
        [bad[2].requestId, 'data_exception', '22003'],
        [bad[1].requestId, 'data_exception', '22P05'],
        [bad[0].requestId, 'integrity_constraint_violation', '23502'],
      ]);
      expect(parked.map((p) => JSON.parse(p.record))).toEqual([bad[2], bad[1], bad[0]]);
      expect(parked[2]).toMatchObject({ message: expect.stringContaining('duration_ms'), ingest_key_id: 'key_ingest_1', job_id: job.id });
      expect(await counters()).toEqual({
        ...before,
        stored: before.stored + 20,
        dataException: before.dataException + 2,
        constraint: before.constraint + 1,
      });

      // The same job delivered again (a worker killed before BullMQ marked it done): nothing new anywhere.
      const processor = pipeline.worker!.get(LogWriterProcessor);
      expect(await processor.process(job)).toEqual({ inserted: 0, duplicates: 20, deadLettered: 0, conflicting: 0 });
      expect(await parkedOf(job)).toHaveLength(3);
      expect(await rollupAgreement(pipeline.db, key)).toEqual({ counted: 20, cellsOff: 0 });
      expect(await counters()).toEqual({
        ...before,
        stored: before.stored + 20,
        dataException: before.dataException + 2,
        constraint: before.constraint + 1,
      });
    },
  );

  it('isolates the bad record of one batch among batches written together (group commit), and stores every other batch whole', async () => {
    const key = `key_group_dl_${randomUUID().slice(0, 8)}`;
    const batches = Array.from({ length: 8 }, () => valid(makeRecords(50, { apiKeyId: key })));
    const bad = { ...batches[5][17], status: 70000 };
    batches[5][17] = bad;
    const receivedAt = new Date().toISOString();
    const jobs = await queue.addBulk(
      batches.map((records) => ({ name: INGEST_JOB, data: { ...ingestJobData(records, receivedAt, 'http'), ingestKeyId: null } })),
    );
    const states = await pollUntil(
      () => Promise.all(jobs.map((j) => queue.getJobState(j.id!))),
      (s) => s.every((x) => x === 'completed' || x === 'failed'),
      30_000,
      'all jobs finished',
    );
    expect(states).toEqual(jobs.map(() => 'completed'));
    const returned = await Promise.all(jobs.map(async (j) => (await queue.getJob(j.id!))!.returnvalue));
    expect(returned.map((r) => [r.inserted, r.deadLettered])).toEqual(batches.map((_, i) => (i === 5 ? [49, 1] : [50, 0])));
    expect(await rollupAgreement(pipeline.db, key)).toEqual({ counted: 399, cellsOff: 0 });
    expect((await parkedOf((await queue.getJob(jobs[5].id!))!)).map((p) => [p.request_id, p.sqlstate])).toEqual([[bad.requestId, '22003']]);
  });

  it(
    'issue #3: two durations of 1e308 in one rollup cell beside a valid record: ' + 'the rollup cannot overflow into a failed job',
    async () => {
      const key = `key_huge_${randomUUID().slice(0, 8)}`;
      const timestamp = new Date(Date.now() - 5000).toISOString();
      const [a, b, legit] = valid([
        makeRecord({ apiKeyId: key, timestamp }),
        makeRecord({ apiKeyId: key, timestamp }),
        makeRecord({ apiKeyId: key, status: 200 }),
      ]);
      const job = await runJob([{ ...a, durationMs: 1e308 }, { ...b, durationMs: 1e308 }, legit], null);

      expect(job.returnvalue).toEqual({ inserted: 2, duplicates: 0, deadLettered: 1, conflicting: 0 });
      expect([...(await rowCounts(pipeline.db, [a.requestId, legit.requestId])).values()]).toEqual([1, 1]);
      expect(await rollupAgreement(pipeline.db, key)).toEqual({ counted: 2, cellsOff: 0 });
      const { rows } = await pipeline.db.query('SELECT sum(duration_ms_sum) AS sum FROM request_rollups_minute WHERE api_key_id = $1', [
        key,
      ]);
      expect(rows[0].sum).toBe(1e308 + legit.durationMs);
      expect((await parkedOf(job)).map((p) => [p.request_id, p.sqlstate, p.ingest_key_id])).toEqual([[b.requestId, '22003', null]]);
    },
  );

  it('records which API key ingested each record, on both write paths, and shows it in the lookup', async () => {
    const [viaCopy, viaInsert] = valid(makeRecords(2));
    await runJob([viaCopy], 'key_copy_path');
    // A batch holding a record already stored takes the INSERT … ON CONFLICT path.
    const job = await runJob([viaCopy, viaInsert], 'key_insert_path');
    expect(job.returnvalue).toMatchObject({ inserted: 1, duplicates: 1 });
    const server = pipeline.api.getHttpServer();
    expect((await http(server).get(`/v1/requests/${viaCopy.requestId}`).expect(200)).body).toMatchObject({
      ingestedByKeyId: 'key_copy_path',
      otherRecords: [],
    });
    expect((await http(server).get(`/v1/requests/${viaInsert.requestId}`).expect(200)).body).toMatchObject({
      ingestedByKeyId: 'key_insert_path',
    });
  });

  it(
    'keeps the first of two records with the same id and timestamp, parks and counts the conflicting one once, ' +
      'and never lets a later record take over the lookup',
    async () => {
      const [original, newcomer] = valid(makeRecords(2));
      await runJob([original], 'key_first');
      const before = await counters();
      const conflicting = { ...original, status: 500, error: 'internal_error', message: 'forged' };
      const job = await runJob([conflicting, original, newcomer], 'key_forger');
      expect(job.returnvalue).toEqual({ inserted: 1, duplicates: 2, deadLettered: 0, conflicting: 1 });
      expect((await parkedOf(job)).map((p) => [p.request_id, p.reason, p.sqlstate, p.ingest_key_id, JSON.parse(p.record).message])).toEqual(
        [[original.requestId, 'conflicting_duplicate', null, 'key_forger', 'forged']],
      );
      expect(await counters()).toEqual({ ...before, stored: before.stored + 1, conflicting: before.conflicting + 1 });
      const processor = pipeline.worker!.get(LogWriterProcessor);
      expect(await processor.process(job)).toEqual({ inserted: 0, duplicates: 3, deadLettered: 0, conflicting: 0 });
      expect(await counters()).toEqual({ ...before, stored: before.stored + 1, conflicting: before.conflicting + 1 });

      // The same id at a later time, from another key: stored (another send time), but not the lookup's main result.
      const later = {
        ...original,
        timestamp: new Date(Date.parse(original.timestamp) + 500).toISOString(),
        status: 200,
        message: 'forged later',
      };
      await runJob([later], 'key_forger');
      const lookup = await http(pipeline.api.getHttpServer()).get(`/v1/requests/${original.requestId}`).expect(200);
      expect(lookup.body).toMatchObject({ timestamp: original.timestamp, status: original.status, ingestedByKeyId: 'key_first' });
      expect(lookup.body.otherRecords).toEqual([
        expect.objectContaining({ timestamp: later.timestamp, message: 'forged later', ingestedByKeyId: 'key_forger' }),
      ]);
    },
  );

  it('deletes parked records first seen longer ago than RETENTION_DAYS when it parks the next ones, and only those', async () => {
    const [old, recent, next] = valid(makeRecords(3));
    const job = await runJob(
      [
        { ...old, durationMs: null },
        { ...recent, durationMs: null },
      ],
      null,
    );
    const retentionDays = 36500; // testConfig's RETENTION_DAYS
    await pipeline.db.query(
      `UPDATE dead_letter_records SET first_seen_at = now() - make_interval(days => ${retentionDays + 1}) WHERE request_id = $1`,
      [old.requestId],
    );
    const nextJob = await runJob([{ ...next, durationMs: null }], null);
    expect((await parkedOf(job)).map((p) => p.request_id)).toEqual([recent.requestId]);
    expect((await parkedOf(nextJob)).map((p) => p.request_id)).toEqual([next.requestId]);
  });
});
