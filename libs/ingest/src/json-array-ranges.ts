import type { TimeSlicer } from '#libs/queue';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const RECORDS_WRAPPER = /[ \t\n\r]*\{[ \t\n\r]*"records"[ \t\n\r]*:[ \t\n\r]*\[/y;
// JSON whitespace only (\s would also take characters JSON.parse refuses).
const WHITESPACE = /[ \t\n\r]*/y;

/** Where each record sits in a JSON body: [start, end) of every element of its records array. */
export type ElementRanges = Array<[start: number, end: number]>;

/** More elements than the caller allows: thrown as soon as the limit is passed, without scanning further. */
export class TooManyElements extends Error {}

/**
 * Finds the elements of a batch's records array — the root array, or the `records` member of
 * `{"records": [...]}` when it is the only one — with one pass over the text (yielding to the event
 * loop between slices), without building any value: each element is then parsed on its own. Returns undefined for
 * any other shape (the caller parses the body whole), and also for text that is not JSON here:
 * parsing it whole then reports the error as JSON.parse does. Elements are only delimited (strings
 * and brackets); JSON.parse of each element checks its content.
 */
export async function jsonArrayElements(text: string, maxElements: number, slicer: TimeSlicer): Promise<ElementRanges | undefined> {
  let pos = skipWhitespace(text, 0);
  let wrapped = false;
  if (text.charCodeAt(pos) !== OPEN_ARRAY) {
    RECORDS_WRAPPER.lastIndex = pos;
    if (!RECORDS_WRAPPER.test(text)) return undefined;
    wrapped = true;
    pos = RECORDS_WRAPPER.lastIndex - 1;
  }
  const ranges: ElementRanges = [];
  pos = skipWhitespace(text, pos + 1);
  if (text.charCodeAt(pos) === CLOSE_ARRAY) return closes(text, pos + 1, wrapped) ? ranges : undefined;
  for (;;) {
    const start = pos;
    pos = elementEnd(text, pos);
    if (pos >= text.length) return undefined;
    if (ranges.length === maxElements) throw new TooManyElements();
    ranges.push([start, pos]);
    if (slicer.due()) await slicer.yield();
    if (text.charCodeAt(pos) === CLOSE_ARRAY) return closes(text, pos + 1, wrapped) ? ranges : undefined;
    if (text.charCodeAt(pos) !== COMMA) return undefined;
    pos++;
  }
}

/** After the array: only whitespace (root array), or `}` and whitespace (the wrapper object). */
function closes(text: string, pos: number, wrapped: boolean): boolean {
  let at = skipWhitespace(text, pos);
  if (wrapped) {
    if (text.charCodeAt(at) !== CLOSE_OBJECT) return false;
    at = skipWhitespace(text, at + 1);
  }
  return at === text.length;
}

/** The position of the `,` or `]` that ends the element starting at `pos` (outside strings, at depth 0). */
function elementEnd(text: string, pos: number): number {
  let depth = 0;
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(text, i);
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return i;
      depth--;
    } else if (c === COMMA && depth === 0) return i;
  }
  return text.length;
}

/** The position of the quote closing the string that opens at `open`. */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

function skipWhitespace(text: string, pos: number): number {
  WHITESPACE.lastIndex = pos;
  WHITESPACE.test(text);
  return WHITESPACE.lastIndex;
}
