import { randomUUID } from 'node:crypto';
import { type AccessLogRecord, validateRecord } from '#libs/access-log';
import pg from 'pg';
import { RequestLogPartitions, RowsAndRollupsWriter, refusedForItsData } from '#libs/store';
import { makeRecord, makeRecords } from './support/factories.js';
import { rollupAgreement } from './support/derived-counts.js';
import { Pipeline, rowCounts, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

/**
 * The two write paths of RowsAndRollupsWriter.storeBatch against real Postgres: a batch of new
 * records is COPYed whole; a batch holding any record already stored (or one record twice) rolls
 * that back and is inserted with ON CONFLICT DO NOTHING. Either way the rows are stored exactly as
 * validated and the per-minute rollups count each stored row once.
 */
describe('storeBatch: COPY for new batches, INSERT … ON CONFLICT when some record is already stored', () => {
  let pipeline: Pipeline;
  let repository: RowsAndRollupsWriter;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig(), { worker: false });
    repository = new RowsAndRollupsWriter(pipeline.db, new RequestLogPartitions(pipeline.db));
  });
  afterAll(() => pipeline.close());

  const keyed = (apiKeyId: string, raw: Record<string, unknown>[]): AccessLogRecord[] =>
    raw.map((r) => {
      const result = validateRecord({ ...r, apiKeyId }, { maxFutureSkewSeconds: 60, maxAgeDays: 1 });
      if (!result.ok) throw new Error(`factory record invalid: ${JSON.stringify(result.details)}`);
      return result.record;
    });
  const store = (records: AccessLogRecord[]) => repository.storeBatch(records, new Date().toISOString());

  /** Rows of the key, how many the API-key rollup counts, and how many rollup cells disagree with the raw rows. */
  async function rollupCheck(apiKeyId: string): Promise<{ rows: number; counted: number; cellsOff: number }> {
    const { rows } = await pipeline.db.query<{ n: number }>('SELECT count(*)::int AS n FROM request_logs WHERE api_key_id = $1', [
      apiKeyId,
    ]);
    return { rows: rows[0].n, ...(await rollupAgreement(pipeline.db, apiKeyId)) };
  }

  it('COPYs a batch of new records whole and counts every row once in the rollups', async () => {
    const key = `key_copy_${randomUUID().slice(0, 8)}`;
    const records = keyed(key, makeRecords(200));
    const result = await store(records);
    expect(result).toMatchObject({ via: 'copy', duplicates: 0 });
    expect(result.inserted).toHaveLength(200);
    expect(result.inserted[0]).toEqual({
      request_id: records[0].requestId,
      sent_at_ms: Date.parse(records[0].timestamp),
      method: records[0].method,
      route: records[0].route,
      status: records[0].status,
      duration_ms: records[0].durationMs,
      error_code: records[0].error,
      retry_after: records[0].retryAfter,
      api_key_id: key,
    });
    expect(await rollupCheck(key)).toEqual({ rows: 200, counted: 200, cellsOff: 0 });
  });

  it('stores only the new records of a batch that overlaps stored ones, and counts only those', async () => {
    const key = `key_overlap_${randomUUID().slice(0, 8)}`;
    const first = keyed(key, makeRecords(50));
    expect((await store(first)).via).toBe('copy');
    const second = [...first.slice(25), ...keyed(key, makeRecords(30))];
    const result = await store(second);
    expect(result).toMatchObject({ via: 'insert', duplicates: 25 });
    expect(result.inserted).toHaveLength(30);
    expect(new Set(result.inserted.map((r) => r.request_id))).toEqual(new Set(second.slice(25).map((r) => r.requestId)));
    // A redelivery of the whole second batch: nothing new, nothing counted.
    expect(await store(second)).toMatchObject({ via: 'insert', duplicates: 55, inserted: [] });
    expect(await rollupCheck(key)).toEqual({ rows: 80, counted: 80, cellsOff: 0 });
    const counts = await rowCounts(
      pipeline.db,
      [...first, ...second].map((r) => r.requestId),
    );
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('stores a record repeated inside one batch once', async () => {
    const key = `key_repeat_${randomUUID().slice(0, 8)}`;
    const [record] = keyed(key, [makeRecord()]);
    const result = await store([record, ...keyed(key, makeRecords(5)), record]);
    expect(result).toMatchObject({ via: 'insert', duplicates: 1 });
    expect(result.inserted).toHaveLength(6);
    expect(await rollupCheck(key)).toEqual({ rows: 6, counted: 6, cellsOff: 0 });
  });

  it('stores text that COPY must escape exactly as sent', async () => {
    const key = `key_escape_${randomUUID().slice(0, 8)}`;
    const awkward = 'tab\there, newline\nthere, CR\r, backslash \\ and \\N, quote " é 日本 😀';
    const records = keyed(key, [
      makeRecord({
        status: 400,
        error: 'bad_request',
        message: awkward,
        details: { field: [awkward], nested: { n: 1.5, ok: true, none: null } },
        userAgent: awkward,
      }),
      makeRecord({
        status: 503,
        error: 'service_unavailable',
        message: '\\N',
        retryAfter: 30,
        durationMs: 1e-7,
        clientIp: null,
        userAgent: null,
      }),
    ]);
    expect((await store(records)).via).toBe('copy');
    const { rows } = await pipeline.db.query(
      `SELECT request_id, message, details, user_agent, client_ip, retry_after, duration_ms, sent_at
         FROM request_logs WHERE api_key_id = $1 ORDER BY status`,
      [key],
    );
    expect(rows).toEqual(
      records.map((r) => ({
        request_id: r.requestId,
        message: r.message,
        details: r.details,
        user_agent: r.userAgent,
        client_ip: r.clientIp,
        retry_after: r.retryAfter,
        duration_ms: r.durationMs,
        sent_at: new Date(r.timestamp),
      })),
    );
  });

  it('stores several batches in one COPY when all are new, and each on its own when one overlaps stored rows', async () => {
    const key = `key_group_${randomUUID().slice(0, 8)}`;
    const [a, b, c] = [keyed(key, makeRecords(40)), keyed(key, makeRecords(60)), keyed(key, makeRecords(10))];
    const receivedAt = ['2026-11-25T10:00:00.000Z', '2026-11-25T10:00:01.000Z'];
    const together = await repository.storeBatches([
      { records: a, receivedAt: receivedAt[0] },
      { records: b, receivedAt: receivedAt[1] },
    ]);
    expect(together.map((r) => [r.via, r.inserted.length, r.duplicates])).toEqual([
      ['copy', 40, 0],
      ['copy', 60, 0],
    ]);
    expect(together[1].inserted.map((r) => r.request_id)).toEqual(b.map((r) => r.requestId));
    // each batch keeps its own received_at
    const { rows } = await pipeline.db.query<{ received_at: Date; n: number }>(
      'SELECT received_at, count(*)::int AS n FROM request_logs WHERE api_key_id = $1 GROUP BY 1 ORDER BY 1',
      [key],
    );
    expect(rows).toEqual([
      { received_at: new Date(receivedAt[0]), n: 40 },
      { received_at: new Date(receivedAt[1]), n: 60 },
    ]);
    // b redelivered beside the new c: the COPY is refused, each batch then takes the insert path
    const overlapping = await repository.storeBatches([
      { records: c, receivedAt: receivedAt[0] },
      { records: b, receivedAt: receivedAt[0] },
    ]);
    expect(overlapping.map((r) => [r.via, r.inserted.length, r.duplicates])).toEqual([
      ['insert', 10, 0],
      ['insert', 0, 60],
    ]);
    expect(await rollupCheck(key)).toEqual({ rows: 110, counted: 110, cellsOff: 0 });
  });

  it(
    'writes the ingesting key on both paths, and gives back the duplicates stored with other content as conflicting ' +
      '(the stored row kept)',
    async () => {
      const key = `key_conflict_${randomUUID().slice(0, 8)}`;
      const [a, b] = keyed(key, makeRecords(2));
      const receivedAt = new Date().toISOString();
      const [copied] = await repository.storeBatches([{ records: [a], receivedAt, ingestKeyId: 'key_copy' }]);
      expect(copied).toMatchObject({ via: 'copy', duplicates: 0, conflicting: [] });
      const otherA = { ...a, status: 500, error: 'internal_error', message: 'other content' };
      const otherB = { ...b, message: 'other b' };
      const [inserted] = await repository.storeBatches([{ records: [otherA, a, b, otherB], receivedAt, ingestKeyId: 'key_insert' }]);
      expect(inserted).toMatchObject({ via: 'insert', duplicates: 3 });
      expect(inserted.conflicting).toEqual([otherA, otherB]);
      const { rows } = await pipeline.db.query(
        'SELECT request_id, status, message, ingested_by_key_id FROM request_logs WHERE api_key_id = $1 ORDER BY ingested_by_key_id',
        [key],
      );
      expect(rows).toEqual([
        { request_id: a.requestId, status: a.status, message: a.message, ingested_by_key_id: 'key_copy' },
        { request_id: b.requestId, status: b.status, message: b.message, ingested_by_key_id: 'key_insert' },
      ]);
      expect(await rollupCheck(key)).toEqual({ rows: 2, counted: 2, cellsOff: 0 });
      // Stored without a key (the shipper's queue sink): null, on either path.
      const [c] = keyed(key, [makeRecord()]);
      await repository.storeBatch([c], receivedAt);
      expect((await pipeline.db.query('SELECT ingested_by_key_id FROM request_logs WHERE request_id = $1', [c.requestId])).rows).toEqual([
        { ingested_by_key_id: null },
      ]);
    },
  );

  it('tells a write Postgres refused for its data from a database that failed (what the group commit retries batch by batch)', async () => {
    const badData = await pipeline.db.query("SELECT 'not a number'::int").catch((err: unknown) => err);
    expect(refusedForItsData(badData)).toBe(true);
    const unreachable = new pg.Pool({ connectionString: 'postgresql://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 1000 });
    expect(refusedForItsData(await unreachable.query('SELECT 1').catch((err: unknown) => err))).toBe(false);
    await unreachable.end();
    // A backend terminated mid-statement (57P01, as in a shutdown or failover)
    const client = await pipeline.db.connect();
    client.on('error', () => undefined);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const running = client.query('SELECT pg_sleep(10)').catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    await pipeline.db.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    const terminated = await running;
    client.release(true);
    expect((terminated as { code?: string }).code).toBe('57P01');
    expect(refusedForItsData(terminated)).toBe(false);
  });
});
