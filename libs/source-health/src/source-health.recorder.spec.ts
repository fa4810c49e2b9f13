import type { RejectedLine } from '#libs/queue';
import { Redactor } from '#libs/redaction';
import { REJECTED_LINE_MAX_BYTES, SourceHealthRecorder } from './source-health.recorder.js';
import { REJECTED_LINES_PER_SOURCE, type SourceDelta, type SourceHealthStore } from './source-health.store.js';

/** A store that refuses while `down`, and otherwise keeps what it was given (the Redis side is tested in test/ingest-sources.test.ts). */
class RecordingStore {
  down = false;
  added: Map<string, SourceDelta>[] = [];
  async add(deltas: Map<string, SourceDelta>): Promise<void> {
    if (this.down) throw new Error('connection is closed');
    this.added.push(deltas);
  }
}

const redactor = new Redactor({ fields: ['password', 'authorization'], clientIpMode: 'truncate', clientIpHashKey: undefined });
const recorderWith = (store: RecordingStore, warnings: string[] = []) =>
  new SourceHealthRecorder(store as unknown as SourceHealthStore, redactor, (message) => warnings.push(message));
const rejected = (line: unknown, details: Record<string, string[]> = { status: ['must be an HTTP status code'] }): RejectedLine => ({
  line,
  details,
});
const entries = (delta: SourceDelta) => delta.lines.map((line) => JSON.parse(line) as { line: string; truncated: boolean; reason: string });

describe('SourceHealthRecorder', () => {
  it('keeps counts and at most REJECTED_LINES_PER_SOURCE lines while Redis refuses, then adds them all at once', async () => {
    const store = new RecordingStore();
    const warnings: string[] = [];
    const recorder = recorderWith(store, warnings);
    store.down = true;
    for (let request = 0; request < 500; request++) {
      const lines = Array.from({ length: 20 }, (_, i) => rejected({ request, i }));
      recorder.observeValidated('nginx', { received: 25, rejectedCount: 20, rejectedLines: lines });
      recorder.observeAccepted('nginx', 5);
      if (request % 50 === 0) await recorder.flush();
    }
    expect(warnings.length).toBeGreaterThan(0);
    store.down = false;
    await recorder.flush();
    const nginx = store.added[0].get('nginx')!;
    expect(nginx).toMatchObject({ received: 500 * 25, accepted: 500 * 5, rejected: 500 * 20 });
    expect(nginx.lines).toHaveLength(REJECTED_LINES_PER_SOURCE);
    // Lines are redacted only while the flush window has room: the first request's, kept through the outage.
    expect(entries(nginx).map((e) => JSON.parse(e.line) as unknown)).toEqual(Array.from({ length: 20 }, (_, i) => ({ request: 0, i })));
    await recorder.flush();
    expect(store.added).toHaveLength(1);
  });

  it('redacts secrets and client IPs of a kept line, and cuts it to REJECTED_LINE_MAX_BYTES on a character boundary', async () => {
    const store = new RecordingStore();
    const recorder = recorderWith(store);
    const secret = { remote_addr: '203.0.113.9', authorization: 'Bearer abc.def', uri: '/v1/x?password=hunter2', status: 'x' };
    recorder.observeValidated('kong', {
      received: 3,
      rejectedCount: 3,
      rejectedLines: [
        rejected(secret),
        rejected('é'.repeat(3000), { line: ['malformed JSON: Unexpected token'] }),
        rejected('{"password": "hunter2", "ip": "2001:db8:1:2::7"', { line: ['malformed JSON'] }),
      ],
    });
    await recorder.flush();
    const [json, long, text] = entries(store.added[0].get('kong')!);
    expect(json.line).not.toMatch(/hunter2|abc\.def|203\.0\.113\.9/);
    expect(json.line).toContain('203.0.113.0');
    expect(json).toMatchObject({ reason: 'status', truncated: false });
    expect(long).toMatchObject({ reason: 'malformed_json', truncated: true });
    expect(Buffer.byteLength(long.line)).toBeLessThanOrEqual(REJECTED_LINE_MAX_BYTES);
    expect(long.line).toBe('é'.repeat(REJECTED_LINE_MAX_BYTES / 2));
    expect(text.line).not.toMatch(/hunter2|db8:1:2::7/);
  });

  it('keeps a line nested 200,000 deep, or one that is not JSON at all, without throwing', async () => {
    const store = new RecordingStore();
    const recorder = recorderWith(store);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = { n: deep };
    recorder.observeValidated('record', { received: 2, rejectedCount: 2, rejectedLines: [rejected(deep), rejected({ id: 10n })] });
    await recorder.flush();
    const [nested, bigint] = entries(store.added[0].get('record')!);
    expect(nested.line).toMatch(/^\{"n":\{"n":/);
    expect(nested.line).toContain('[REDACTED]');
    expect(bigint.line).toBe('[a value that cannot be written as JSON]');
  });
});
