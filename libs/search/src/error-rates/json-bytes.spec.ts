import fc from 'fast-check';
import { JsonBytes } from './json-bytes.js';
import { seriesJson } from './series-json.js';

describe('JsonBytes', () => {
  it('holds exactly the UTF-8 of the pieces written, however small it started (grown as it fills)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 3000 }), { maxLength: 20 }), fc.nat(4000), (pieces, start) => {
        const out = new JsonBytes(start);
        for (const piece of pieces) out.text(piece);
        expect(out.done().equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('seriesJson bytes', () => {
  it('writes a group named with non-ASCII characters as UTF-8, as JSON.stringify would', () => {
    const from = new Date('2026-12-01T00:00:00.000Z');
    const to = new Date('2026-12-01T00:02:00.000Z');
    const row = {
      start: String(from.getTime()),
      group: '/v1/café/😀',
      total: '2',
      status4xx: '1',
      status5xx: '0',
      byStatusJson: '{"200":1,"404":1}',
    };
    const expected = JSON.stringify([
      {
        group: '/v1/café/😀',
        total: 2,
        buckets: [
          { start: '2026-12-01T00:00:00.000Z', total: 2, status4xx: 1, status5xx: 0, byStatus: { 200: 1, 404: 1 }, errorRatio: 0.5 },
          { start: '2026-12-01T00:01:00.000Z', total: 0, status4xx: 0, status5xx: 0, byStatus: {}, errorRatio: null },
        ],
      },
    ]);
    expect(seriesJson([row], from, to, 60, true)).toBe(expected);
  });
});
