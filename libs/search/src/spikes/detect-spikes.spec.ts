import fc from 'fast-check';
import { DEFAULT_SPIKE_OPTIONS, type DetectedSpike, detectSpikes } from './detect-spikes.js';

/** A deterministic pseudo-random steady series around `level` with +-`noise`. */
function steady(length: number, level: number, noise: number, seed = 7): number[] {
  let x = seed;
  return Array.from({ length }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return Math.max(0, Math.round(level + ((x / 2 ** 31) * 2 - 1) * noise));
  });
}

describe('detectSpikes', () => {
  it('finds a burst on a quiet series with its exact start, end, peak and baseline', () => {
    const counts = steady(180, 4, 3);
    counts.splice(120, 3, 200, 350, 90);
    const spikes = detectSpikes(counts, 60);
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ start: 120, end: 123, peak: 350, total: 640 });
    expect(spikes[0].baseline).toBeGreaterThanOrEqual(2);
    expect(spikes[0].baseline).toBeLessThanOrEqual(6);
  });

  it('finds a burst from zero (no baseline traffic at all)', () => {
    const counts = new Array(120).fill(0);
    counts[100] = 40;
    expect(detectSpikes(counts, 60)).toEqual([{ start: 100, end: 101, peak: 40, baseline: 0, total: 40 }]);
  });

  it('ignores a handful of errors below the minimum count', () => {
    const counts = new Array(120).fill(0);
    counts[100] = 9;
    expect(detectSpikes(counts, 60)).toEqual([]);
  });

  it('keeps a long outage as one spike: hot minutes never raise the baseline', () => {
    const counts = steady(300, 10, 4);
    for (let i = 150; i < 250; i++) counts[i] = 400 + (i % 7) * 20;
    const spikes = detectSpikes(counts, 60);
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ start: 150, end: 250 });
  });

  it('merges hot runs separated by a short quiet gap', () => {
    const counts = new Array(120).fill(2);
    counts[100] = 100;
    counts[102] = 100;
    expect(detectSpikes(counts, 60)).toMatchObject([{ start: 100, end: 103, total: 202 }]);
  });

  it('reports nothing before firstIndex (those minutes only feed the baseline)', () => {
    const counts = new Array(120).fill(0);
    counts[30] = 500;
    expect(detectSpikes(counts, 60)).toEqual([]);
  });

  it('yields no spike for any steady series with noise up to 50% of its level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 2000 }), fc.integer({ min: 1, max: 1000 }), (level, seed) => {
        expect(detectSpikes(steady(240, level, level * 0.5, seed), 60)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('finds exactly what the rule says, minute by minute, for any series (against a plain reference)', () => {
    const series = fc.array(fc.oneof(fc.nat(20), fc.nat(400)), { minLength: 0, maxLength: 400 });
    fc.assert(
      fc.property(series, fc.nat(120), (counts, firstIndex) => {
        expect(detectSpikes(counts, firstIndex)).toEqual(referenceSpikes(counts, firstIndex));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the reference on day-long series of large counts (the window full, its values replaced both ways)', () => {
    const minute = fc.oneof(fc.integer({ min: 900, max: 1100 }), fc.nat(5000), fc.constant(0));
    fc.assert(
      fc.property(fc.array(minute, { minLength: 200, maxLength: 1600 }), fc.nat(120), (counts, firstIndex) => {
        expect(detectSpikes(counts, firstIndex)).toEqual(referenceSpikes(counts, firstIndex));
      }),
      { numRuns: 40 },
    );
  });
});

/** The rule of detect-spikes.ts written plainly: the window re-sorted every minute. */
function referenceSpikes(counts: number[], firstIndex: number): DetectedSpike[] {
  const o = DEFAULT_SPIKE_OPTIONS;
  const median = (sorted: number[]) =>
    sorted.length === 0
      ? 0
      : sorted.length % 2
        ? sorted[sorted.length >> 1]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const quiet: number[] = [];
  const spikes: DetectedSpike[] = [];
  counts.forEach((count, i) => {
    const sorted = [...quiet].sort((a, b) => a - b);
    const baseline = median(sorted);
    const spread = Math.max(1.4826 * median(sorted.map((c) => Math.abs(c - baseline)).sort((a, b) => a - b)), Math.sqrt(baseline));
    const hot = quiet.length >= o.minHistory && count >= o.minCount && count >= o.minFactor * baseline && count >= baseline + o.k * spread;
    if (!hot) {
      quiet.push(count);
      if (quiet.length > o.baselineMinutes) quiet.shift();
    } else if (i >= firstIndex) {
      const last = spikes.at(-1);
      if (last && i - last.end <= o.mergeGapMinutes) Object.assign(last, { end: i + 1, peak: Math.max(last.peak, count) });
      else spikes.push({ start: i, end: i + 1, peak: count, baseline, total: 0 });
    }
  });
  for (const spike of spikes) spike.total = counts.slice(spike.start, spike.end).reduce((a, b) => a + b, 0);
  return spikes;
}
