import { readCheckpoint } from './checkpoint.js';
import { nginxLine, RecordingSink, startSource, tempLog, until } from './source-fixtures.js';

describe('FileSource on a real file: mapping, batches, checkpoint', () => {
  let log: ReturnType<typeof tempLog>;
  beforeEach(() => (log = tempLog()));
  afterEach(() => log.cleanup());

  it('ships mapped lines in bounded batches, reports lines that are no record, and checkpoints the acknowledged offset', async () => {
    log.append(['a1', 'a2', 'a3'].map((id) => nginxLine(id)).join(''));
    log.append('not json\n');
    log.append(nginxLine('a4', { status: 'abc' }));
    log.append(nginxLine('a5', { status: '429', retry_after: '30', error_code: 'rate_limit_exceeded', request_time: '0.250' }));
    const sink = new RecordingSink();
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink, batchSize: 2 });
    await until(() => sink.ids().length === 4, 'four records shipped');
    await running.stop();

    expect(sink.ids()).toEqual(['a1', 'a2', 'a3', 'a5']);
    expect(Math.max(...sink.batches.map((b) => b.length))).toBe(2);
    expect(sink.batches.flat()[3]).toMatchObject({ status: 429, retryAfter: 30, error: 'rate_limit_exceeded', durationMs: 250 });
    expect(running.source.stats).toMatchObject({ lines: 6, shipped: 4, rejected: 2, tooLong: 0 });
    expect(running.logged.join('\n')).toMatch(/rejected the line .* ending at byte \d+: \{"line":\["malformed JSON/);
    expect(running.logged.join('\n')).toMatch(/rejected the line .*\{"status":\["must be a whole number \(from \\"status\\"\)"\]\}/);
    const { size } = await import('node:fs').then((fs) => fs.statSync(log.path));
    expect(await readCheckpoint(log.checkpointPath)).toMatchObject({ path: log.path, offset: size });
    expect(running.logged.at(-1)).toMatch(/lines 6, shipped 4, rejected 2, .*offset \d+, lag 0 B$/);
  });

  it('resumes at the checkpoint after a restart: nothing acknowledged is sent again', async () => {
    log.append(nginxLine('b1') + nginxLine('b2'));
    const first = new RecordingSink();
    const before = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink: first });
    await until(() => first.ids().length === 2, 'first run shipped');
    await before.stop();
    log.append(nginxLine('b3'));
    const second = new RecordingSink();
    const after = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink: second });
    await until(() => second.ids().length === 1, 'second run shipped');
    await after.stop();
    expect(second.ids()).toEqual(['b3']);
  });

  it('waits out a 429 with the batch kept and the checkpoint where it was, then ships it once', async () => {
    log.append(nginxLine('c1'));
    const sink = new RecordingSink();
    sink.refuseNext = 2;
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink });
    await until(() => sink.ids().length === 1, 'shipped after the refusals');
    await running.stop();
    expect(sink.attempts).toBe(3);
    expect(running.source.stats.retries).toBe(2);
    expect(running.logged.filter((l) => /answered 429: retrying in 1 s, checkpoint kept at 0/.test(l))).toHaveLength(2);
  });

  it('on stop during a wait, drops the unacknowledged batch and keeps the checkpoint: the next run sends it', async () => {
    log.append(nginxLine('d1'));
    const refusing = new RecordingSink();
    refusing.refuseNext = 1_000;
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink: refusing });
    await until(() => refusing.attempts >= 1, 'first attempt');
    await running.stop();
    // Nothing was ever acknowledged: no checkpoint, so the next run starts at the file's start.
    expect(await readCheckpoint(log.checkpointPath)).toBeUndefined();
    const sink = new RecordingSink();
    const again = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink });
    await until(() => sink.ids().length === 1, 'sent by the next run');
    await again.stop();
    expect(sink.ids()).toEqual(['d1']);
  });

  it('skips and counts a line over the line limit, and never takes a line the writer has not finished', async () => {
    log.append(nginxLine('e1') + nginxLine('e2', { user_agent: 'x'.repeat(2000) }) + nginxLine('e3'));
    log.append(nginxLine('e4').slice(0, 40));
    const sink = new RecordingSink();
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink, maxLineBytes: 1024 });
    await until(() => sink.ids().length === 2, 'short lines shipped');
    expect(running.source.stats).toMatchObject({ lines: 3, tooLong: 1 });
    log.append(nginxLine('e4').slice(40));
    await until(() => sink.ids().length === 3, 'finished line shipped');
    await running.stop();
    expect(sink.ids()).toEqual(['e1', 'e3', 'e4']);
    expect(running.logged.join('\n')).toMatch(/longer than 1024 bytes: skipped/);
  });
});
