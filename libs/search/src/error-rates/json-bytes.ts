/**
 * A growing byte buffer that JSON text is written into piece by piece, sent as ONE Buffer. The
 * error-rates answer (~300 KB for a day at 1m) built as a string cost a template literal per bucket, a
 * join that flattened them, Buffer.byteLength for the Content-Length and a UTF-8 encoding on the socket
 * write: almost half of the api's CPU for that answer, and strings that large live in V8's large-object
 * space until a full GC. Written here, it is one pass over its characters into memory outside the heap.
 */
export class JsonBytes {
  private bytes: Buffer;
  private length = 0;

  /** `expectedBytes`: room to reserve at first (the buffer doubles when it runs out). */
  constructor(expectedBytes: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(expectedBytes, 1024));
  }

  /** Appends `text` as UTF-8: one native copy, so write large pieces (a few KB), not a value at a time. */
  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; only when the room left is less than that is the
    // exact size counted, so the buffer grows only when the text really does not fit.
    const room = this.bytes.length - this.length;
    if (text.length * 3 > room) {
      const size = Buffer.byteLength(text);
      if (size > room) this.grow(this.length + size);
    }
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  /** The bytes written so far (a view of the buffer, not a copy). */
  done(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}
