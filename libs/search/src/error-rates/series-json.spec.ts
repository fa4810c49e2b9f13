import fc from 'fast-check';
import { INTERVALS } from './intervals.js';
import { seriesJson } from './series-json.js';

type Row = { start: number; group: string | null; byStatus: Record<string, number> };

/** The answer's series built as objects and serialised by JSON.stringify: what series-json.ts must write. */
function expectedSeries(rows: Row[], from: Date, to: Date, step: number, grouped: boolean) {
  const starts: string[] = [];
  for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) starts.push(new Date(t).toISOString());
  const groups = new Map<
    string | null,
    { start: string; total: number; status4xx: number; status5xx: number; byStatus: object; errorRatio: number | null }[]
  >();
  const empty = () =>
    starts.map((start) => ({ start, total: 0, status4xx: 0, status5xx: 0, byStatus: {}, errorRatio: null as number | null }));
  if (!grouped) groups.set(null, empty());
  for (const row of rows) {
    if (!groups.has(row.group)) groups.set(row.group, empty());
    const bucket = groups.get(row.group)![starts.indexOf(new Date(row.start).toISOString())];
    const counts = Object.entries(row.byStatus);
    bucket.total = counts.reduce((sum, [, n]) => sum + n, 0);
    bucket.status4xx = counts.reduce((sum, [status, n]) => sum + (status[0] === '4' ? n : 0), 0);
    bucket.status5xx = counts.reduce((sum, [status, n]) => sum + (status[0] === '5' ? n : 0), 0);
    bucket.byStatus = row.byStatus;
    bucket.errorRatio = bucket.total > 0 ? (bucket.status4xx + bucket.status5xx) / bucket.total : null;
  }
  const series = [...groups].map(([group, buckets]) => ({ group, total: buckets.reduce((sum, b) => sum + b.total, 0), buckets }));
  return JSON.stringify(series.sort((a, b) => b.total - a.total));
}

describe('seriesJson', () => {
  it('writes exactly what JSON.stringify wrote for the bucket objects, for any rows, range and interval', () => {
    const status = fc.constantFrom(200, 201, 302, 400, 404, 429, 500, 503);
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(INTERVALS)),
        fc.integer({ min: 0, max: 40_000_000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(null, '/v1/a', 'route "quoted"'), fc.dictionary(status.map(String), fc.nat(1e6)))),
        (intervalSeconds, fromMinute, minutes, grouped, cells) => {
          const step = intervalSeconds * 1000;
          const from = new Date(fromMinute * 60_000);
          const to = new Date(from.getTime() + minutes * 60_000);
          const first = Math.floor(from.getTime() / step) * step;
          const buckets = Math.ceil(to.getTime() / step) - first / step;
          // One row per (bucket, group), as the SQL's GROUP BY gives; statuses in any order.
          const rows = new Map<string, Row>();
          for (const [i, group, byStatus] of cells) {
            const row = { start: first + (i % buckets) * step, group: grouped ? group : null, byStatus };
            rows.set(`${row.start} ${row.group}`, row);
          }
          const sqlRows = [...rows.values()].map((row) => {
            const counts = Object.entries(row.byStatus).sort(([a], [b]) => Number(a) - Number(b));
            const sum = (digit: string) => counts.reduce((total, [s, n]) => total + (digit === '' || s[0] === digit ? n : 0), 0);
            return {
              start: String(row.start),
              group: row.group,
              total: String(sum('')),
              status4xx: String(sum('4')),
              status5xx: String(sum('5')),
              byStatusJson: `{${counts.map(([s, n]) => `"${s}":${n}`).join(',')}}`,
            };
          });
          expect(seriesJson(sqlRows, from, to, intervalSeconds, grouped)).toBe(expectedSeries([...rows.values()], from, to, step, grouped));
        },
      ),
      { numRuns: 100 },
    );
  });
});
