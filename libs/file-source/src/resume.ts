import { readCheckpoint } from './checkpoint.js';
import type { Pauses } from './pauses.js';
import { findRotated, sameFile, TailedFile } from './tailed-file.js';

/**
 * The file to read and where, from the checkpoint: the same file (device + inode) at its offset (from 0
 * if it shrank meanwhile); the checkpointed file under its rotated name (`api.json.1`) when it was
 * rotated while nothing tailed it, at its offset, the new file following as an ordinary rotation; else
 * the file at the path from its start. Waits for the file to appear; undefined when stopped first.
 */
export async function openAtCheckpoint(
  path: string,
  checkpointPath: string,
  pauses: Pauses,
  log: (line: string) => void,
): Promise<{ file: TailedFile; offset: number } | undefined> {
  const checkpoint = await readCheckpoint(checkpointPath);
  let file = await TailedFile.open(path);
  if (!file) log(`[ship] waiting for ${path} to appear`);
  while (!file) {
    if (!(await pauses.sleep(500))) return undefined;
    file = await TailedFile.open(path);
  }
  if (!checkpoint) return { file, offset: 0 };
  if (sameFile(checkpoint, file.identity)) {
    if (checkpoint.offset <= (await file.size())) return { file, offset: checkpoint.offset };
    log(`[ship] ${path} is shorter than the checkpoint's offset ${checkpoint.offset} (truncated): reading it from its start`);
    return { file, offset: 0 };
  }
  const rotated = await findRotated(path, checkpoint);
  const old = rotated ? await TailedFile.open(rotated) : undefined;
  if (old && sameFile(checkpoint, old.identity) && checkpoint.offset <= (await old.size())) {
    await file.close();
    log(`[ship] ${path} was rotated while stopped: finishing ${rotated} from offset ${checkpoint.offset} first`);
    return { file: old, offset: checkpoint.offset };
  }
  await old?.close();
  log(
    `[ship] the checkpointed file (${checkpoint.path}, inode ${checkpoint.ino}) is gone: what it got after offset ` +
      `${checkpoint.offset} was not shipped; reading ${path} from its start`,
  );
  return { file, offset: 0 };
}
