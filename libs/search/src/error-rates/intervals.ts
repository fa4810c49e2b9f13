/** Bucket widths the error-rate series offers, smallest first. */
export const INTERVALS = { '1m': 60, '5m': 300, '1h': 3600, '1d': 86_400 } as const;
export type IntervalName = keyof typeof INTERVALS;
export const INTERVAL_NAMES = Object.keys(INTERVALS) as IntervalName[];

/** More buckets than this is a 422: a chart cannot show them and the answer would be slow. */
export const MAX_BUCKETS = 3000;
/** `auto` picks the smallest interval giving at most this many buckets. */
const AUTO_TARGET_BUCKETS = 1440;

/** Buckets start at multiples of the interval since the epoch, so 1h and 1d buckets are UTC hours and days. */
export function bucketCount(from: Date, to: Date, intervalSeconds: number): number {
  const step = intervalSeconds * 1000;
  return Math.ceil(to.getTime() / step) - Math.floor(from.getTime() / step);
}

/** The smallest interval giving at most `maxBuckets` (and at most AUTO_TARGET_BUCKETS) buckets; 1d when none does. */
export function autoInterval(from: Date, to: Date, maxBuckets = AUTO_TARGET_BUCKETS): IntervalName {
  const target = Math.min(maxBuckets, AUTO_TARGET_BUCKETS);
  return INTERVAL_NAMES.find((name) => bucketCount(from, to, INTERVALS[name]) <= target) ?? '1d';
}
