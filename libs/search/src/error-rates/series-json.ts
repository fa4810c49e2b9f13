import type { SeriesRow } from '#libs/store';
import { bucketCount } from './intervals.js';
import { JsonBytes } from './json-bytes.js';

const DAY_MS = 86_400_000;
/** Buckets joined into one piece of text before it is copied into the answer's bytes (~14 KB). */
const BUCKETS_PER_PIECE = 64;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * The error-rates answer's `series` as JSON: zero-filled buckets per group, the largest groups first.
 * Written from the rows' text (counts, and `byStatus` as Postgres wrote it) with no object per bucket
 * (parsing then re-serialising 1440 bucket objects was most of the api's time per request), into the
 * answer's bytes (json-bytes.ts). Each bucket is, in this key order:
 * `{"start","total","status4xx","status5xx","byStatus","errorRatio"}`, errorRatio = (4xx + 5xx) / total
 * (null for an empty bucket) — the same text JSON.stringify wrote for the objects it replaces.
 */
export function writeSeries(out: JsonBytes, rows: SeriesRow[], from: Date, to: Date, intervalSeconds: number, grouped: boolean): void {
  const step = intervalSeconds * 1000;
  const first = Math.floor(from.getTime() / step) * step;
  const starts = isoStarts(first, step, bucketCount(from, to, intervalSeconds));
  // Per group, the index of its row for each bucket (-1: none, an empty bucket).
  const groups = new Map<string | null, { total: number; rowOf: Int32Array }>();
  if (!grouped) groups.set(null, { total: 0, rowOf: new Int32Array(starts.length).fill(-1) });
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let series = groups.get(row.group);
    if (!series) groups.set(row.group, (series = { total: 0, rowOf: new Int32Array(starts.length).fill(-1) }));
    series.total += Number(row.total);
    series.rowOf[(Number(row.start) - first) / step] = r;
  }
  const sorted = [...groups.entries()].sort(([, a], [, b]) => b.total - a.total);
  // Buckets are written as text (template literals are V8's fastest way to make them) and handed to
  // `out` a few dozen at a time: pieces of a few KB, each copied once, where one ~300 KB string was
  // flattened, measured and encoded again.
  const pending: string[] = [];
  const flush = () => {
    out.text(pending.join(''));
    pending.length = 0;
  };
  pending.push('[');
  for (let g = 0; g < sorted.length; g++) {
    const [group, { total, rowOf }] = sorted[g];
    pending.push(`${g > 0 ? ',' : ''}{"group":${JSON.stringify(group)},"total":${total},"buckets":[`);
    for (let i = 0; i < starts.length; i++) {
      const comma = i > 0 ? ',' : '';
      const row = rowOf[i] < 0 ? undefined : rows[rowOf[i]];
      if (!row) {
        pending.push(`${comma}{"start":"${starts[i]}","total":0,"status4xx":0,"status5xx":0,"byStatus":{},"errorRatio":null}`);
      } else {
        const bucketTotal = Number(row.total);
        const errorRatio = bucketTotal > 0 ? (Number(row.status4xx) + Number(row.status5xx)) / bucketTotal : null;
        pending.push(
          `${comma}{"start":"${starts[i]}","total":${row.total},"status4xx":${row.status4xx},"status5xx":${row.status5xx},` +
            `"byStatus":${row.byStatusJson},"errorRatio":${errorRatio}}`,
        );
      }
      if (pending.length >= BUCKETS_PER_PIECE) flush();
    }
    pending.push(']}');
  }
  pending.push(']');
  flush();
}

/** Bytes to reserve for `cells` buckets of which `filled` hold counts (~240 bytes; an empty one ~110). */
export function expectedSeriesBytes(cells: number, filled: number): number {
  return Math.max(cells - filled, 0) * 110 + filled * 240 + 4096;
}

/** The series as a string, the same bytes as writeSeries: what the specs compare with JSON.stringify of the objects. */
export function seriesJson(rows: SeriesRow[], from: Date, to: Date, intervalSeconds: number, grouped: boolean): string {
  const out = new JsonBytes(expectedSeriesBytes(bucketCount(from, to, intervalSeconds), rows.length));
  writeSeries(out, rows, from, to, intervalSeconds, grouped);
  return out.done().toString('utf8');
}

/** Date#toISOString of each bucket start, the date part formatted once per day: ~10× cheaper for 1440 minutes. */
function isoStarts(first: number, step: number, count: number): string[] {
  const starts = new Array<string>(count);
  let day = Number.NaN;
  let datePart = '';
  for (let i = 0; i < count; i++) {
    const t = first + i * step;
    if (Math.floor(t / DAY_MS) !== day) {
      day = Math.floor(t / DAY_MS);
      datePart = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    const seconds = Math.floor((t - day * DAY_MS) / 1000);
    const millis = String(t % 1000).padStart(3, '0');
    const [hours, minutes] = [TWO_DIGITS[Math.floor(seconds / 3600)], TWO_DIGITS[Math.floor(seconds / 60) % 60]];
    starts[i] = `${datePart}${hours}:${minutes}:${TWO_DIGITS[seconds % 60]}.${millis}Z`;
  }
  return starts;
}
