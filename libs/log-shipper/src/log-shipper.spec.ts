import type { AccessLogRecord } from '#libs/access-log';
import { type LogSink, PermanentSinkError } from './log-sink.js';
import { LogShipper } from './log-shipper.js';

/** A sink that records what it was sent and can be told to fail: the shipper's logic needs no Redis. */
class MemorySink implements LogSink {
  batches: AccessLogRecord[][] = [];
  failWith?: Error;
  closed = false;
  async send(records: AccessLogRecord[]) {
    if (this.failWith) throw this.failWith;
    this.batches.push(records);
  }
  async close() {
    this.closed = true;
  }
  get ids() {
    return this.batches.flat().map((r) => r.requestId);
  }
}

const record = (i: number) => ({
  requestId: `req_${i}`,
  timestamp: new Date().toISOString(),
  method: 'GET',
  path: `/v1/sessions/ses_${i}abcd?x=1`,
  status: 200,
  durationMs: 1,
});

describe('LogShipper', () => {
  let sink: MemorySink;
  beforeEach(() => (sink = new MemorySink()));

  it('delivers full batches without waiting for the interval, the rest on flush', async () => {
    const shipper = new LogShipper({ sink, batchSize: 10, flushIntervalMs: 60_000 });
    for (let i = 0; i < 25; i++) shipper.record(record(i));
    await new Promise((r) => setImmediate(r));
    await shipper.flush();
    expect(sink.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(sink.batches[0][0]).toMatchObject({ path: '/v1/sessions/ses_0abcd', route: '/v1/sessions/:id' });
    await shipper.close();
    expect(shipper.stats).toEqual({ shipped: 25, dropped: 0, rejected: 0, lost: 0, buffered: 0 });
  });

  it('flushes on its interval', async () => {
    const shipper = new LogShipper({ sink, batchSize: 100, flushIntervalMs: 20 });
    shipper.record(record(1));
    for (let i = 0; i < 100 && sink.ids.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sink.ids).toEqual(['req_1']);
    await shipper.close();
  });

  it('keeps batches while the sink fails and drops the oldest beyond its bound, counting them', async () => {
    const shipper = new LogShipper({ sink, batchSize: 5, maxBufferedRecords: 20, flushIntervalMs: 60_000, onError: () => undefined });
    sink.failWith = new Error('redis away');
    for (let i = 0; i < 30; i++) shipper.record(record(i));
    await shipper.flush();
    expect(shipper.stats).toMatchObject({ shipped: 0, dropped: 10, buffered: 20 });
    sink.failWith = undefined;
    await shipper.close();
    expect(sink.ids).toEqual(Array.from({ length: 20 }, (_, i) => `req_${i + 10}`));
    expect(shipper.stats).toMatchObject({ shipped: 20, dropped: 10, lost: 0 });
    expect(sink.closed).toBe(true);
  });

  it('counts records refused by validation or permanently by the sink, and does not retry those', async () => {
    const errors: Error[] = [];
    const shipper = new LogShipper({ sink, batchSize: 10, flushIntervalMs: 60_000, onError: (e) => errors.push(e) });
    shipper.record({ ...record(1), status: 999 });
    sink.failWith = new PermanentSinkError('422');
    shipper.record(record(2));
    await shipper.flush();
    sink.failWith = undefined;
    await shipper.close();
    expect(shipper.stats).toMatchObject({ shipped: 0, rejected: 2, buffered: 0 });
    expect(errors).toHaveLength(2);
  });

  it('gives up after closeTimeoutMs when the sink stays away, counting the lost records', async () => {
    const shipper = new LogShipper({ sink, closeTimeoutMs: 300, onError: () => undefined });
    sink.failWith = new Error('still away');
    shipper.record(record(1));
    await shipper.close();
    expect(shipper.stats).toMatchObject({ shipped: 0, lost: 1, buffered: 0 });
  });
});
