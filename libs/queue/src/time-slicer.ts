/**
 * How long a loop over a request's records may hold the event loop before it lets other work in:
 * parsing and validating a 10 MiB body takes ~0.5 s of CPU, and health checks, other requests and
 * Redis replies must not wait for all of it.
 */
export const SLICE_MS = 10;

/**
 * Cooperative time slicing for long loops: call `due()` as often as convenient (it only reads the
 * clock) and `await yield()` when it says so, which gives the event loop a turn (setImmediate:
 * after pending I/O callbacks, unlike a resolved promise).
 */
export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}
