import { checkDetails } from './check-details.js';
import { MAX_DETAILS_BYTES, MAX_DETAILS_DEPTH } from './record-limits.js';

/** An object nested `depth` levels ({} is 1), built without recursion. */
function nested(depth: number): object {
  let value: object = {};
  for (let i = 1; i < depth; i++) value = { n: value };
  return value;
}

describe('checkDetails', () => {
  it(`accepts ${MAX_DETAILS_DEPTH} levels of nesting and refuses one more, however deep, without recursing`, () => {
    expect(checkDetails(nested(MAX_DETAILS_DEPTH))).toEqual({ ok: true, value: nested(MAX_DETAILS_DEPTH) });
    for (const depth of [MAX_DETAILS_DEPTH + 1, 3000, 1_000_000]) {
      expect(checkDetails(nested(depth))).toEqual({
        ok: false,
        message: `must not nest arrays and objects more than ${MAX_DETAILS_DEPTH} levels deep`,
      });
    }
    let list: unknown[] = [];
    for (let i = 0; i < 100_000; i++) list = [list];
    expect(checkDetails(list)).toMatchObject({ ok: false });
  });

  it('counts the bytes of the JSON in UTF-8, not its UTF-16 length', () => {
    const frame = JSON.stringify({ t: '' }).length;
    expect(checkDetails({ t: 'a'.repeat(MAX_DETAILS_BYTES - frame) }).ok).toBe(true);
    expect(checkDetails({ t: 'a'.repeat(MAX_DETAILS_BYTES - frame + 1) })).toEqual({
      ok: false,
      message: `must be at most ${MAX_DETAILS_BYTES} bytes of JSON (UTF-8)`,
    });
    // 6000 units of JSON text, 18000 bytes
    expect(checkDetails({ t: '中'.repeat(6000) })).toMatchObject({ ok: false, message: expect.stringMatching(/bytes/) });
    expect(checkDetails({ t: '😀'.repeat(Math.floor((MAX_DETAILS_BYTES - frame) / 4)) }).ok).toBe(true);
  });

  it('refuses a value with more elements than bytes allowed before walking them all', () => {
    expect(checkDetails(new Array(1_000_000))).toMatchObject({ ok: false, message: expect.stringMatching(/bytes/) });
    expect(checkDetails(Array(MAX_DETAILS_BYTES + 1).fill(0))).toMatchObject({ ok: false, message: expect.stringMatching(/bytes/) });
  });

  it.each([
    [{ k: 'a\u0000b' }, /NUL/],
    [{ 'a\u0000': 1 }, /NUL/],
    [[{ deep: ['\udc00'] }], /unpaired/],
    [{ n: Infinity }, /only JSON values/],
    [{ n: NaN }, /only JSON values/],
    [{ n: 10n }, /only JSON values/],
    [{ f: () => 1 }, /only JSON values/],
  ])('refuses %p', (value, message) => {
    expect(checkDetails(value)).toEqual({ ok: false, message: expect.stringMatching(message) });
  });

  it('refuses an object whose getter throws', () => {
    expect(
      checkDetails({
        get boom() {
          throw new Error('getter');
        },
      }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/only JSON values/) });
  });

  it('keeps text that only looks like an escape, and a "__proto__" key as data', () => {
    const value = JSON.parse('{"text":"\\\\u0000 and \\\\ud800","__proto__":{"x":1}}') as object;
    expect(checkDetails(value)).toEqual({ ok: true, value });
  });

  it('stores what JSON makes of objects that are not plain (from the log shipper), checked again', () => {
    const at = new Date('2026-11-25T10:00:00.000Z');
    expect(checkDetails({ at, tags: new Set([1]) })).toEqual({ ok: true, value: { at: '2026-11-25T10:00:00.000Z', tags: {} } });
    expect(checkDetails(at)).toEqual({ ok: false, message: 'must be a JSON object or array' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(checkDetails(cyclic)).toMatchObject({ ok: false, message: expect.stringMatching(/levels deep/) });
    const deepToJson = { toJSON: () => nested(40) };
    expect(checkDetails(Object.assign(Object.create({}), { inner: deepToJson }))).toMatchObject({ ok: false });
  });
});
