import { type Line, LineSplitter } from './line-splitter.js';

const text = (lines: Line[]) => lines.map((l) => ('text' in l ? `${l.text.toString()}@${l.end}` : `TOO LONG@${l.end}`));

describe('LineSplitter', () => {
  it('cuts lines across chunks with the offset each ends at, and holds an unfinished line back', () => {
    const splitter = new LineSplitter(100);
    expect(text([...splitter.push(Buffer.from('ab\ncd'), 0)])).toEqual(['ab@3']);
    expect(splitter.heldBytes).toBe(2);
    expect(text([...splitter.push(Buffer.from('e\n\nf'), 5)])).toEqual(['cde@7', '@8']);
    expect(text([...splitter.push(Buffer.from('g\n'), 9)])).toEqual(['fg@11']);
  });

  it('skips a line past the limit without holding it, whether it ends in the chunk or several chunks later', () => {
    const splitter = new LineSplitter(4);
    expect(text([...splitter.push(Buffer.from('12345\nok\n123'), 0)])).toEqual(['TOO LONG@6', 'ok@9']);
    expect(text([...splitter.push(Buffer.from('45678'), 12)])).toEqual([]);
    expect(splitter.heldBytes).toBe(0);
    expect(text([...splitter.push(Buffer.from('9\nlast\n'), 17)])).toEqual(['TOO LONG@19', 'last@24']);
    // A line exactly at the limit is kept.
    expect(text([...splitter.push(Buffer.from('abcd\n'), 24)])).toEqual(['abcd@29']);
  });
});
