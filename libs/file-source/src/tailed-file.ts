import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file's identity: the same device and inode is the same file, whatever name it has now. */
export interface FileIdentity {
  dev: string;
  ino: string;
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** What `work` gives, or undefined when the file it needs does not exist (ENOENT); other errors are thrown. */
export async function unlessMissing<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Identity and size of what `path` names now, or undefined when nothing does (between a rename and the new file). */
export async function fileAt(path: string): Promise<(FileIdentity & { size: number }) | undefined> {
  const s = await unlessMissing(stat(path, { bigint: true }));
  return s && { dev: String(s.dev), ino: String(s.ino), size: Number(s.size) };
}

/**
 * The file a checkpoint names, found again after a rotation that happened while nothing tailed it: a
 * sibling named after the tailed file (`api.json.1`, `api.json-20261201`) with the same device and inode.
 */
export async function findRotated(path: string, identity: FileIdentity): Promise<string | undefined> {
  const name = basename(path);
  for (const sibling of await readdir(dirname(path))) {
    if (sibling === name || !sibling.startsWith(name)) continue;
    const found = await fileAt(join(dirname(path), sibling));
    if (found && sameFile(found, identity)) return join(dirname(path), sibling);
  }
  return undefined;
}

/** An open file being tailed: reads by position, so it keeps reading the same inode after a rename. */
export class TailedFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly identity: FileIdentity,
    readonly openedAs: string,
  ) {}

  /** Opens `path`, or undefined when it does not exist (yet). */
  static async open(path: string): Promise<TailedFile | undefined> {
    const handle = await unlessMissing(open(path, 'r'));
    if (!handle) return undefined;
    const s = await handle.stat({ bigint: true });
    return new TailedFile(handle, { dev: String(s.dev), ino: String(s.ino) }, path);
  }

  async read(buffer: Buffer, position: number): Promise<number> {
    return (await this.handle.read(buffer, 0, buffer.length, position)).bytesRead;
  }

  /** The size of this inode now (a truncation shows as a size below what was read). */
  async size(): Promise<number> {
    return Number((await this.handle.stat({ bigint: true })).size);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
