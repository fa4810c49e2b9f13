import type { MemorySample } from './service-processes.js';

export interface MemorySummary {
  peakMiB: number;
  /**
   * Mean RSS over the second quarter and the last quarter of the run (the first quarter is warm-up);
   * null when the soak took fewer than four samples (one every 5 s), too few to tell a trend.
   */
  earlyMiB: number | null;
  lateMiB: number | null;
  growthPercent: number | null;
  samples: number;
}

/** Is memory flat? Compares RSS early in the run (after warm-up) with RSS at its end. */
export function summariseMemory(samples: MemorySample[]): MemorySummary {
  const quarter = Math.floor(samples.length / 4);
  const peakMiB = round(Math.max(...samples.map((s) => s.peakMiB)));
  if (quarter === 0) return { peakMiB, earlyMiB: null, lateMiB: null, growthPercent: null, samples: samples.length };
  const mean = (xs: MemorySample[]) => xs.reduce((s, x) => s + x.rssMiB, 0) / Math.max(xs.length, 1);
  const early = mean(samples.slice(quarter, 2 * quarter));
  const late = mean(samples.slice(-quarter));
  return {
    peakMiB,
    earlyMiB: round(early),
    lateMiB: round(late),
    growthPercent: round(((late - early) / early) * 100),
    samples: samples.length,
  };
}

/** RSS over time as a compact line: one value (MiB) per sample, for the report. */
export function rssTimeline(samples: MemorySample[], points = 12): string {
  const step = Math.max(1, Math.floor(samples.length / points));
  return samples
    .filter((_, i) => i % step === 0)
    .map((s) => Math.round(s.rssMiB))
    .join(' ');
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
