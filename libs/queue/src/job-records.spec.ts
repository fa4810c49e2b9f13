import { type AccessLogRecord, validateRecord } from '#libs/access-log';
import { ingestJobData, jobRecordCount, jobRecords } from './ingest-queue.js';

const now = new Date();
const valid = (raw: Record<string, unknown>): AccessLogRecord => {
  const result = validateRecord(raw, { maxFutureSkewSeconds: 60, maxAgeDays: 1 }, now);
  if (!result.ok) throw new Error(JSON.stringify(result.details));
  return result.record;
};
const records = [
  valid({ requestId: 'req_a', timestamp: now.toISOString(), method: 'GET', path: '/v1/sessions/ses_1?x=1', status: 200, durationMs: 1.5 }),
  valid({
    requestId: 'req_b',
    timestamp: now.toISOString(),
    method: 'POST',
    path: '/v1/sessions',
    route: '/v1/sessions',
    status: 422,
    durationMs: 0,
    error: 'validation_error',
    message: 'tab\t "quote" é 😀',
    details: { redirect_url: ['bad'], nested: { n: 1, none: null } },
    apiKeyId: 'key_1',
    clientIp: '10.0.0.1',
    userAgent: 'sdk/1.0',
  }),
  valid({
    requestId: 'req_c',
    timestamp: now.toISOString(),
    method: 'GET',
    path: '/v1/x',
    status: 429,
    durationMs: 3,
    retryAfter: 30,
    details: [1, 'two'],
  }),
];
/** What a job looks like after BullMQ stored it in Redis and handed it back: JSON both ways. */
const throughRedis = <T>(data: T): T => JSON.parse(JSON.stringify(data)) as T;

describe('ingest job payload', () => {
  it('carries records as rows and gives back the same records, nulls and details included', () => {
    const data = throughRedis(ingestJobData(records, '2026-11-25T10:00:00.000Z', 'http', 'key_1'));
    expect(data.records).toBeUndefined();
    expect(data.rows).toHaveLength(3);
    expect(jobRecords(data)).toEqual(records.map((r) => ({ ...r, details: r.details ?? null })));
    expect(jobRecordCount(data)).toBe(3);
    expect(data).toMatchObject({ receivedAt: '2026-11-25T10:00:00.000Z', source: 'http', ingestKeyId: 'key_1' });
  });

  it('is ~40% smaller than the same records as objects', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...records[i % 3], requestId: `req_${i}` }));
    const rows = JSON.stringify(ingestJobData(many, now.toISOString(), 'http')).length;
    const objects = JSON.stringify({ records: many, receivedAt: now.toISOString(), source: 'http' }).length;
    expect(rows / objects).toBeLessThan(0.7);
  });

  it('still reads jobs queued in the earlier format (records as objects)', () => {
    const legacy = throughRedis({ records, receivedAt: now.toISOString(), source: 'shipper' as const });
    expect(jobRecords(legacy)).toEqual(throughRedis(records));
    expect(jobRecordCount(legacy)).toBe(3);
  });
});
