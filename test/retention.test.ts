import { PartitionMaintainer } from '#libs/store';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

/**
 * Runs on the shared database, so it works a century back: RETENTION_DAYS=36000 (~98.6 years)
 * drops a 1920 partition and keeps a 1990 one, and no other suite's rows are anywhere near.
 */
describe('retention drops whole partitions older than RETENTION_DAYS', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig({ RETENTION_DAYS: '36000' }));
  });
  afterAll(async () => {
    await pipeline.db.query('DROP TABLE IF EXISTS request_logs_19200101, request_logs_19900101');
    await pipeline.close();
  });

  async function partitions(): Promise<string[]> {
    const { rows } = await pipeline.db.query<{ name: string }>(
      "SELECT relname AS name FROM pg_class WHERE relname IN ('request_logs_19200101', 'request_logs_19900101') ORDER BY 1",
    );
    return rows.map((r) => r.name);
  }

  it('drops the expired day (with its rows), keeps the days within retention and the ones ahead', async () => {
    await pipeline.db.query("SELECT ensure_request_logs_partition('1920-01-01'), ensure_request_logs_partition('1990-01-01')");
    await pipeline.db.query(
      `INSERT INTO request_logs (request_id, sent_at, method, path, route, status, duration_ms, received_at)
       VALUES ('req_retention_old', '1920-01-01T12:00:00Z', 'GET', '/x', '/x', 200, 1, now()),
              ('req_retention_kept', '1990-01-01T12:00:00Z', 'GET', '/x', '/x', 200, 1, now())`,
    );
    expect(await partitions()).toEqual(['request_logs_19200101', 'request_logs_19900101']);

    await pipeline.worker!.get(PartitionMaintainer).run();

    expect(await partitions()).toEqual(['request_logs_19900101']);
    const { rows } = await pipeline.db.query("SELECT request_id FROM request_logs WHERE request_id LIKE 'req_retention_%'");
    expect(rows).toEqual([{ request_id: 'req_retention_kept' }]);
    const ahead = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const { rowCount } = await pipeline.db.query('SELECT 1 FROM pg_class WHERE relname = $1', [`request_logs_${ahead}`]);
    expect(rowCount).toBe(1);
  });
});
