import { TimeSlicer } from '#libs/queue';
import { jsonArrayElements, TooManyElements } from './json-array-ranges.js';

const scan = (text: string, max = 1000) => jsonArrayElements(text, max, new TimeSlicer());

/** The elements as the scanner delimits them, each parsed on its own. */
async function elements(text: string): Promise<unknown[] | undefined> {
  return (await scan(text))?.map(([start, end]) => JSON.parse(text.slice(start, end)));
}

describe('jsonArrayElements', () => {
  it.each([
    '[]',
    ' [ ] ',
    '[{"a":1},{"b":[1,2,{"c":"]"}]}]',
    '[1, "two", null, true, {"x": "a,b}"}, [3]]',
    '["quote \\" inside", "backslash \\\\", "\\\\\\"", {"k\\"}": 1}]',
    '{"records": [{"a": 1}, {"b": 2}]}',
    '\n{ "records" :[ {"s":"}]"} ] }\r\n',
  ])('delimits the elements of %s exactly as JSON.parse reads them', async (text) => {
    const parsed = JSON.parse(text) as unknown[] | { records: unknown[] };
    expect(await elements(text)).toEqual(Array.isArray(parsed) ? parsed : parsed.records);
  });

  it.each([
    ['another shape', '{"other": 1, "records": [1]}'],
    ['a wrapper with more members', '{"records": [1], "more": 2}'],
    ['a bare value', '5'],
    ['trailing text', '[1] x'],
    ['an unterminated array', '[1, 2'],
    ['an unterminated string', '["abc'],
    ['a stray closing bracket', '[{"a":1}}]'],
    ['non-JSON whitespace', '\u00a0[1]'],
  ])('leaves %s to a whole parse', async (_, text) => {
    expect(await scan(text)).toBeUndefined();
  });

  it('delimits malformed elements so that parsing them fails as parsing the body would', async () => {
    for (const text of ['[1,,2]', '[1,]', '[{"a" 1}]', '[tru]']) {
      expect(() => JSON.parse(text)).toThrow();
      await expect(elements(text)).rejects.toThrow(SyntaxError);
    }
  });

  it('stops at the element past the limit', async () => {
    expect(await scan('[1,2,3]', 3)).toHaveLength(3);
    await expect(scan('[1,2,3,4,5,6,7]', 3)).rejects.toThrow(TooManyElements);
  });
});
