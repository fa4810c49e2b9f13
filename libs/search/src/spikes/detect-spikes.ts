/**
 * Spike detection on a per-minute count series, against a robust rolling baseline.
 *
 * For each minute the baseline is the median of the previous BASELINE_MINUTES "quiet" minutes and
 * the spread is their MAD (median absolute deviation, x1.4826 to estimate a standard deviation,
 * floored at sqrt(median) as Poisson noise would be). A minute is hot when ALL of these hold:
 *   count >= minCount                    (a handful of errors is never a spike)
 *   count >= baseline + k x spread       (far outside the usual noise)
 *   count >= minFactor x baseline        (a real multiple of the usual rate)
 * Until minHistory quiet minutes are known nothing is hot (there is no baseline to compare with yet).
 * Hot minutes never enter the baseline, so a long outage does not become its own normal. Hot runs
 * separated by at most mergeGapMinutes quiet minutes form one spike. Medians and MAD ignore single
 * outliers, so noisy steady traffic yields nothing while a burst stands out at once.
 */
export interface SpikeOptions {
  baselineMinutes: number;
  minHistory: number;
  minCount: number;
  k: number;
  minFactor: number;
  mergeGapMinutes: number;
}

export const DEFAULT_SPIKE_OPTIONS: SpikeOptions = {
  baselineMinutes: 60,
  minHistory: 15,
  minCount: 10,
  k: 5,
  minFactor: 3,
  mergeGapMinutes: 2,
};

export interface DetectedSpike {
  /** Index of the first hot minute. */
  start: number;
  /** Index after the last hot minute (exclusive). */
  end: number;
  peak: number;
  /** Baseline (median) when the spike started. */
  baseline: number;
  /** Sum of the counts over [start, end). */
  total: number;
}

/** Spikes starting at or after `firstIndex` (earlier minutes only feed the baseline). */
export function detectSpikes(counts: number[], firstIndex: number, options: SpikeOptions = DEFAULT_SPIKE_OPTIONS): DetectedSpike[] {
  // The quiet window in arrival order (a ring of baselineMinutes) and the same values kept sorted: the
  // median is then O(1), and the MAD (a sort) is computed only for the rare minutes that pass the cheap
  // tests first. Both are updated in place, with no array allocated per minute: this runs for every
  // minute of every status asked (1,500 minutes per status for a day with its hour of history). Only a
  // minute of at least minCount needs the baseline: below it the sorted copy is dropped, and sorted
  // again from the ring when a minute needs it, so an error status that is rare most minutes (the
  // usual case) costs a ring write per minute.
  const size = options.baselineMinutes;
  const ring = new Array<number>(size).fill(0);
  let oldest = 0;
  let quiet = 0;
  let sorted: number[] | undefined = [];
  const spikes: DetectedSpike[] = [];
  let current: DetectedSpike | undefined;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    let hot = false;
    let baseline = 0;
    if (quiet >= options.minHistory && count >= options.minCount) {
      sorted ??= ring.slice(0, quiet).sort((x, y) => x - y);
      baseline = medianOfSorted(sorted);
      hot = count >= options.minFactor * baseline && count >= baseline + options.k * spread(sorted, baseline);
    }
    if (!hot) {
      const dropped = quiet < size ? undefined : ring[oldest];
      if (dropped === undefined) ring[quiet++] = count;
      else {
        ring[oldest] = count;
        oldest = (oldest + 1) % size;
      }
      if (count < options.minCount) sorted = undefined;
      else if (sorted) {
        if (dropped !== undefined) removeSorted(sorted, dropped);
        insertSorted(sorted, count);
      }
      continue;
    }
    if (i < firstIndex) continue;
    if (current && i - current.end <= options.mergeGapMinutes) {
      current.end = i + 1;
      current.peak = Math.max(current.peak, count);
    } else {
      current = { start: i, end: i + 1, peak: count, baseline, total: 0 };
      spikes.push(current);
    }
  }
  for (const spike of spikes) spike.total = counts.slice(spike.start, spike.end).reduce((a, b) => a + b, 0);
  return spikes;
}

/** Inserts `value` in order, shifting the larger values up one place. */
function insertSorted(sorted: number[], value: number): void {
  const at = lowerBound(sorted, value);
  let j = sorted.length;
  sorted.push(value);
  for (; j > at; j--) sorted[j] = sorted[j - 1];
  sorted[at] = value;
}

/** Removes one occurrence of `value` (present), shifting the larger values down one place. */
function removeSorted(sorted: number[], value: number): void {
  const at = lowerBound(sorted, value);
  for (let j = at + 1; j < sorted.length; j++) sorted[j - 1] = sorted[j];
  sorted.pop();
}

/** 1.4826 x MAD (a standard deviation for normal noise), at least sqrt(median) (Poisson noise). */
function spread(sorted: number[], baseline: number): number {
  const deviations = sorted.map((c) => Math.abs(c - baseline)).sort((a, b) => a - b);
  return Math.max(1.4826 * medianOfSorted(deviations), Math.sqrt(baseline));
}

function medianOfSorted(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** First index whose value is >= `value`. */
function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
