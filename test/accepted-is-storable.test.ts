import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { type AccessLogRecord, MAX_API_KEY_ID_LENGTH, MAX_ERROR_CODE_LENGTH, MAX_ROUTE_LENGTH, validateRecord } from '#libs/access-log';
import { Redactor } from '#libs/redaction';
import { RequestLogPartitions, RowsAndRollupsWriter } from '#libs/store';
import { hostileRecord } from './support/hostile-records.js';
import { testConfig } from './support/test-env.js';

/**
 * Issue 12, "accepted means storable": whatever validateRecord accepts, redacted as the api queues
 * it, is stored by the REAL write path into the real Postgres, rollups included, without an error:
 * COPY for a new batch, and INSERT … ON CONFLICT for a batch holding stored records. Records are
 * generated at and just past every limit (see support/hostile-records.ts).
 */
describe('everything validation accepts, the write path stores (fast-check against real Postgres)', () => {
  const config = testConfig();
  const redactor = new Redactor(config.redaction);
  const RUN = `storable_${randomUUID().slice(0, 8)}`;
  const KEY = `${RUN}_key_`;
  let db: pg.Pool;
  let repository: RowsAndRollupsWriter;
  beforeAll(() => {
    db = new pg.Pool({ connectionString: config.database.url, max: 2 });
    repository = new RowsAndRollupsWriter(db, new RequestLogPartitions(db));
  });
  afterAll(() => db.end());

  it('stores every accepted record exactly as redacted, by COPY and by INSERT, and the rollups count each once', async () => {
    const expected = new Map<string, AccessLogRecord>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRecord(RUN, KEY), { minLength: 1, maxLength: 16 }), async (records) => {
        // What the api receives is JSON text: undefined fields vanish, -0 becomes 0, 1e999 would be Infinity.
        const received = JSON.parse(JSON.stringify(records)) as unknown[];
        const accepted = received.flatMap((r) => {
          const verdict = validateRecord(r, config.producer.limits);
          return verdict.ok ? [redactor.redact(verdict.record)] : [];
        });
        sent += records.length;
        if (accepted.length === 0) return;
        const half = accepted.slice(0, Math.ceil(accepted.length / 2));
        const receivedAt = new Date().toISOString();
        expect(await repository.storeBatch(half, receivedAt)).toMatchObject({ via: 'copy', duplicates: 0 });
        // The whole batch again: the primary key refuses the COPY (half is stored), so it goes by INSERT … ON CONFLICT.
        const again = await repository.storeBatch(accepted, receivedAt);
        expect(again).toMatchObject({ via: 'insert', duplicates: half.length });
        expect(again.inserted).toHaveLength(accepted.length - half.length);
        for (const record of accepted) expected.set(record.requestId, record);
      }),
      { numRuns: 40 },
    );
    console.log(`[accepted-is-storable] ${sent} hostile records, ${expected.size} accepted and stored`);
    expect(expected.size).toBeGreaterThan(sent / 20);

    const { rows } = await db.query(
      `SELECT request_id, sent_at, method, path, route, status, duration_ms, error_code, message, details, retry_after,
              api_key_id, client_ip, user_agent
         FROM request_logs WHERE request_id = ANY($1)`,
      [[...expected.keys()]],
    );
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const want = expected.get(row.request_id)!;
      expect(row).toEqual({
        request_id: want.requestId,
        sent_at: new Date(want.timestamp),
        method: want.method,
        path: want.path,
        route: want.route,
        status: want.status,
        duration_ms: want.durationMs,
        error_code: want.error,
        message: want.message,
        details: JSON.parse(JSON.stringify(want.details)),
        retry_after: want.retryAfter,
        api_key_id: want.apiKeyId,
        client_ip: want.clientIp,
        user_agent: want.userAgent,
      });
    }
    expect(await rollupCellsOff(db, `${KEY}%`)).toEqual({ counted: expected.size, cellsOff: 0, sumsOff: 0 });
  }, 120_000);

  it(
    'stores the widest index keys validation allows (route, error code and key id at their limits in 3-byte characters), ' +
      'and refuses one unit more',
    async () => {
      const wide = (length: number, seed: number) =>
        Array.from({ length }, (_, i) => String.fromCharCode(0x800 + ((seed + i * 7919) % 0xd000))).join('');
      const widest = (serial: number, extra = 0) => ({
        requestId: `${RUN}_widest_${serial}`,
        timestamp: new Date().toISOString(),
        method: 'PROPPATCHX',
        path: '/x',
        status: 500,
        durationMs: 1,
        route: `/${wide(MAX_ROUTE_LENGTH - 1 + extra, serial)}`,
        error: wide(MAX_ERROR_CODE_LENGTH, serial + 1),
        apiKeyId: KEY + wide(MAX_API_KEY_ID_LENGTH - KEY.length, serial + 2),
      });
      const records = [1, 2, 3]
        .map((serial) => validateRecord(widest(serial), config.producer.limits))
        .map((v) => (v.ok ? redactor.redact(v.record) : v.details));
      expect(
        records.map((r) => Buffer.byteLength((r as AccessLogRecord).route) + Buffer.byteLength((r as AccessLogRecord).error!)),
      ).toEqual(Array(3).fill(1 + (MAX_ROUTE_LENGTH - 1) * 3 + MAX_ERROR_CODE_LENGTH * 3));
      const stored = records as AccessLogRecord[];
      expect(await repository.storeBatch(stored.slice(0, 2), new Date().toISOString())).toMatchObject({ via: 'copy' });
      expect(await repository.storeBatch(stored, new Date().toISOString())).toMatchObject({ via: 'insert', duplicates: 2 });
      expect(validateRecord(widest(4, 1), config.producer.limits)).toMatchObject({
        ok: false,
        details: { route: [expect.stringMatching(/at most 512/)] },
      });
    },
  );
});

/**
 * The widest rollup against the raw rows of these keys, cell by cell: requests counted, cells whose
 * count differs, and cells whose duration sum or max differs (or is not a finite number).
 */
async function rollupCellsOff(db: pg.Pool, keyPattern: string): Promise<{ counted: number; cellsOff: number; sumsOff: number }> {
  const { rows } = await db.query<{ counted: string; off: string; sums_off: string }>(
    `WITH raw AS (
       SELECT date_trunc('minute', sent_at, 'UTC') AS bucket, status, method, route, error_code, api_key_id,
              count(*) AS n, sum(duration_ms) AS total, max(duration_ms) AS top
       FROM request_logs WHERE api_key_id LIKE $1 GROUP BY 1, 2, 3, 4, 5, 6),
     derived AS (
       SELECT bucket, status, method, route, error_code, api_key_id, count AS n, duration_ms_sum AS total, duration_ms_max AS top
       FROM request_rollups_minute WHERE api_key_id LIKE $1),
     joined AS (
       SELECT raw.n AS raw_n, derived.n AS derived_n, raw.total AS raw_total, derived.total AS derived_total,
              raw.top AS raw_top, derived.top AS derived_top
       FROM raw FULL JOIN derived
         ON (raw.bucket, raw.status, raw.method, raw.route, raw.api_key_id)
          = (derived.bucket, derived.status, derived.method, derived.route, derived.api_key_id)
        AND raw.error_code IS NOT DISTINCT FROM derived.error_code)
     SELECT (SELECT coalesce(sum(n), 0) FROM derived) AS counted,
            (SELECT count(*) FROM joined WHERE raw_n IS DISTINCT FROM derived_n) AS off,
            (SELECT count(*) FROM joined WHERE abs(derived_total - raw_total) > 1e-9 * greatest(raw_total, 1)
                OR derived_top IS DISTINCT FROM raw_top OR derived_total IN ('Infinity', 'NaN')) AS sums_off`,
    [keyPattern],
  );
  return { counted: Number(rows[0].counted), cellsOff: Number(rows[0].off), sumsOff: Number(rows[0].sums_off) };
}
