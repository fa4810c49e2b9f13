import { open, readFile, rename } from 'node:fs/promises';
import { unlessMissing } from './tailed-file.js';

/**
 * Where the file source stands: the file (device + inode, so a rotated file is recognised whatever its
 * name) and the byte offset just past the last line of the last acknowledged batch. Device and inode are
 * decimal strings: inode numbers can pass 2^53.
 */
export interface Checkpoint {
  path: string;
  dev: string;
  ino: string;
  offset: number;
}

/** The checkpoint stored at `file`, or undefined when there is none yet; throws on a file that is not one. */
export async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  const text = await unlessMissing(readFile(file, 'utf8'));
  if (text === undefined) return undefined;
  const value = JSON.parse(text) as Partial<Checkpoint>;
  const { path, dev, ino, offset } = value;
  if (typeof path !== 'string' || typeof dev !== 'string' || typeof ino !== 'string' || !Number.isSafeInteger(offset) || offset! < 0) {
    throw new Error(`${file} is not a file-source checkpoint (expected {path, dev, ino, offset}): remove it to start over`);
  }
  return { path, dev, ino, offset: offset! };
}

/**
 * Replaces the checkpoint atomically: written to a temporary file, flushed to disk, then renamed over the
 * old one, so a crash at any moment leaves either the old checkpoint or the new one, never half of one.
 */
export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(checkpoint)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
