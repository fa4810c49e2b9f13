/** Sleeps that a stop cuts short: a source waiting for new lines or a Retry-After stops at once on SIGTERM. */
export class Pauses {
  private wake?: () => void;
  private stopRequested = false;

  get stopped(): boolean {
    return this.stopRequested;
  }

  /** Resolves true after `ms`, or false as soon as stop() is called (at once if it already was). */
  sleep(ms: number): Promise<boolean> {
    if (this.stopRequested) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => ((this.wake = undefined), resolve(true)), ms);
      this.wake = () => (clearTimeout(timer), resolve(false));
    });
  }

  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }
}
