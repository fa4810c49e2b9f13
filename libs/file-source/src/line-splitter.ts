/** A complete line of the file, or one skipped for its length; `end` is the file offset just past its newline. */
export type Line = { end: number; text: Buffer } | { end: number; tooLong: true };

/**
 * Cuts chunks read from a file into newline-terminated lines, each with the file offset it ends at,
 * holding at most `maxLineBytes` of an unfinished line: a longer line is dropped as it is read (never
 * buffered whole) and reported once its newline arrives. Bytes after the last newline wait for the next
 * chunk: a line the writer has not finished is never taken.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes held of an unfinished line (not yet a line). */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /**
   * The lines completed by `chunk`, read at file offset `at`. A yielded `text` may share `chunk`'s memory:
   * use it before reusing the chunk's buffer.
   */
  *push(chunk: Buffer, at: number): Generator<Line> {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const end = at + newline + 1;
      const piece = chunk.subarray(start, newline);
      if (this.skipping || this.pendingBytes + piece.length > this.maxLineBytes) yield { end, tooLong: true };
      else yield { end, text: this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]) };
      this.reset();
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0 || this.skipping) return;
    if (this.pendingBytes + rest.length > this.maxLineBytes) {
      this.reset();
      this.skipping = true;
    } else {
      // A copy: the caller reuses the chunk's buffer for its next read.
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
  }

  /** Forgets an unfinished line (the file was truncated or replaced). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }
}
