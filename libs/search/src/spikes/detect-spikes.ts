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
  // The quiet window in arrival order (a ring of baselineMinutes) and the same values kept sorted, both
  // typed arrays updated in place: the median is O(1); the minute leaving the window is replaced by the
  // one entering it with a binary search and a shift of the values between them; the MAD (a native
  // numeric sort, no comparator) is computed only for the rare minutes that pass the cheap tests first.
  // This runs for every minute of every status asked (1,500 minutes per status for a day with its hour
  // of history): re-sorting plain arrays with a comparator cost ~17 µs a time here, milliseconds per answer.
  const size = options.baselineMinutes;
  const ring = new Float64Array(size);
  const sorted = new Float64Array(size);
  const deviations = new Float64Array(size);
  let oldest = 0;
  let quiet = 0;
  const spikes: DetectedSpike[] = [];
  let current: DetectedSpike | undefined;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    let hot = false;
    let baseline = 0;
    if (quiet >= options.minHistory && count >= options.minCount) {
      baseline = medianOf(sorted, quiet);
      hot = count >= options.minFactor * baseline && count >= baseline + options.k * spread(sorted, quiet, baseline, deviations);
    }
    if (!hot) {
      if (quiet < size) {
        ring[quiet] = count;
        insertSorted(sorted, quiet++, count);
      } else {
        replaceSorted(sorted, size, ring[oldest], count);
        ring[oldest] = count;
        oldest = (oldest + 1) % size;
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

/** Inserts `value` in order into the first `length` values, shifting the larger ones up one place. */
function insertSorted(sorted: Float64Array, length: number, value: number): void {
  let at = length;
  for (; at > 0 && sorted[at - 1] > value; at--) sorted[at] = sorted[at - 1];
  sorted[at] = value;
}

/** Replaces one occurrence of `old` (present) by `value`, shifting only the values between the two places. */
function replaceSorted(sorted: Float64Array, length: number, old: number, value: number): void {
  let at = lowerBound(sorted, length, old);
  if (value >= old) for (; at + 1 < length && sorted[at + 1] < value; at++) sorted[at] = sorted[at + 1];
  else for (; at > 0 && sorted[at - 1] > value; at--) sorted[at] = sorted[at - 1];
  sorted[at] = value;
}

/** 1.4826 x MAD (a standard deviation for normal noise), at least sqrt(median) (Poisson noise). */
function spread(sorted: Float64Array, length: number, baseline: number, deviations: Float64Array): number {
  for (let j = 0; j < length; j++) deviations[j] = Math.abs(sorted[j] - baseline);
  return Math.max(1.4826 * medianOf(deviations.subarray(0, length).sort(), length), Math.sqrt(baseline));
}

/** Median of the first `length` values of a sorted array (0 when empty). */
function medianOf(sorted: Float64Array, length: number): number {
  if (length === 0) return 0;
  const mid = length >> 1;
  return length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** First index among the first `length` whose value is >= `value`. */
function lowerBound(sorted: Float64Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
