import { jsonArrayElements, TooManyElements } from './json-array-ranges.js';

/** The elements as the scanner delimits them, each parsed on its own. */
function elements(text: string): unknown[] | undefined {
  return jsonArrayElements(text, 1000)?.map(([start, end]) => JSON.parse(text.slice(start, end)));
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
  ])('delimits the elements of %s exactly as JSON.parse reads them', (text) => {
    const parsed = JSON.parse(text) as unknown[] | { records: unknown[] };
    expect(elements(text)).toEqual(Array.isArray(parsed) ? parsed : parsed.records);
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
  ])('leaves %s to a whole parse', (_, text) => {
    expect(jsonArrayElements(text, 1000)).toBeUndefined();
  });

  it('delimits malformed elements so that parsing them fails as parsing the body would', () => {
    for (const text of ['[1,,2]', '[1,]', '[{"a" 1}]', '[tru]']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(() => elements(text)).toThrow(SyntaxError);
    }
  });

  it('stops at the element past the limit', () => {
    expect(jsonArrayElements('[1,2,3]', 3)).toHaveLength(3);
    expect(() => jsonArrayElements('[1,2,3,4,5,6,7]', 3)).toThrow(TooManyElements);
  });
});
