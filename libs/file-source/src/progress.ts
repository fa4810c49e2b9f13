import type { FieldErrors } from '#libs/access-log';

/** What a file source did so far; `lines` counts every non-blank line read, whatever became of it. */
export interface FileSourceStats {
  lines: number;
  /** Records the sink took. */
  shipped: number;
  /** Lines that are not valid records (here or at the api), and batches refused for good. */
  rejected: number;
  /** Lines longer than the line limit, skipped. */
  tooLong: number;
  /** Attempts at a batch the sink asked to repeat (429/503, network, Redis away). */
  retries: number;
  rotations: number;
  truncations: number;
}

/** The periodic line on stderr: counts, the checkpointed offset and the bytes of the file not yet acknowledged. */
export function progressLine(path: string, stats: FileSourceStats, offset: number, lagBytes: number): string {
  const counts = Object.entries(stats)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  return `[ship] ${path}: ${counts}, offset ${offset}, lag ${lagBytes} B`;
}

/** Lines reported one by one per minute; past that they are only counted (a file of bad lines must not flood stderr). */
const REPORTS_PER_MINUTE = 20;

/** Reports rejected lines with their position and reasons, at most REPORTS_PER_MINUTE a minute. */
export class RejectionReports {
  private windowStart = 0;
  private reported = 0;
  private suppressed = 0;

  constructor(
    private readonly path: string,
    private readonly log: (line: string) => void,
  ) {}

  report(endOffset: number, details: FieldErrors): void {
    if (Date.now() - this.windowStart >= 60_000) {
      if (this.suppressed > 0) this.log(`[ship] ${this.suppressed} more rejected lines were not shown (counted in "rejected")`);
      this.windowStart = Date.now();
      this.reported = this.suppressed = 0;
    }
    if (this.reported++ >= REPORTS_PER_MINUTE) return void this.suppressed++;
    this.log(`[ship] rejected the line of ${this.path} ending at byte ${endOffset}: ${JSON.stringify(details)}`);
  }
}
