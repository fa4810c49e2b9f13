import { renameSync, truncateSync, writeFileSync } from 'node:fs';
import { readCheckpoint } from './checkpoint.js';
import { nginxLine, RecordingSink, startSource, tempLog, until } from './source-fixtures.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const lines = (list: string[]) => list.map((id) => nginxLine(id)).join('');

describe('FileSource on a real file: rotation and truncation', () => {
  let log: ReturnType<typeof tempLog>;
  beforeEach(() => (log = tempLog()));
  afterEach(() => log.cleanup());

  it('follows a rename rotation: the old inode is read to its end (late lines included), then the new file', async () => {
    log.append(lines(ids('r', 3)));
    const sink = new RecordingSink();
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink });
    await until(() => sink.ids().length === 3, 'first lines');
    renameSync(log.path, `${log.path}.1`);
    writeFileSync(`${log.path}.1`, nginxLine('late'), { flag: 'a' });
    log.append(lines(ids('n', 2)));
    await until(() => sink.ids().length === 6, 'all lines');
    await running.stop();
    expect(sink.ids()).toEqual([...ids('r', 3), 'late', ...ids('n', 2)]);
    expect(running.source.stats).toMatchObject({ rotations: 1, truncations: 0 });
    const { statSync } = await import('node:fs');
    expect(await readCheckpoint(log.checkpointPath)).toMatchObject({
      ino: String(statSync(log.path).ino),
      offset: statSync(log.path).size,
    });
  });

  it('follows copytruncate: a size below the offset means the file starts over', async () => {
    log.append(lines(ids('t', 4)));
    const sink = new RecordingSink();
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink });
    await until(() => sink.ids().length === 4, 'first lines');
    truncateSync(log.path, 0);
    await until(() => running.source.stats.truncations === 1, 'truncation seen');
    log.append(lines(ids('u', 2)));
    await until(() => sink.ids().length === 6, 'lines after the truncation');
    await running.stop();
    expect(sink.ids()).toEqual([...ids('t', 4), ...ids('u', 2)]);
  });

  it('after a rotation while stopped, finishes the rotated file from the checkpoint, then reads the new one', async () => {
    log.append(lines(ids('s', 2)));
    const first = new RecordingSink();
    const before = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink: first });
    await until(() => first.ids().length === 2, 'first run');
    await before.stop();
    log.append(nginxLine('unsent'));
    renameSync(log.path, `${log.path}.1`);
    log.append(nginxLine('fresh'));
    const sink = new RecordingSink();
    const after = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink });
    await until(() => sink.ids().length === 2, 'second run');
    await after.stop();
    expect(sink.ids()).toEqual(['unsent', 'fresh']);
    expect(after.logged.join('\n')).toMatch(/rotated while stopped: finishing .*api\.json\.1 from offset \d+/);
  });

  it('a checkpoint of a file that is gone: says so and reads the file at the path from its start', async () => {
    writeFileSync(log.checkpointPath, JSON.stringify({ path: log.path, dev: '1', ino: '1', offset: 10 }));
    log.append(nginxLine('g1'));
    const sink = new RecordingSink();
    const running = startSource({ path: log.path, checkpointPath: log.checkpointPath, sink });
    await until(() => sink.ids().length === 1, 'shipped');
    await running.stop();
    expect(running.logged.join('\n')).toMatch(/checkpointed file .* is gone/);
  });
});
