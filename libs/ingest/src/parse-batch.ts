import type { FieldErrors } from '#libs/access-log';
import { InvalidInput, LimitExceeded, MalformedInput, UnsupportedFormat } from '#libs/errors';
import type { Candidate, TimeSlicer } from '#libs/queue';
import { jsonArrayElements, TooManyElements } from './json-array-ranges.js';

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
]);
/** Bytes decoded per slice: a 10 MiB body is decoded in ten turns of the event loop, not one. */
const DECODE_CHUNK_BYTES = 1024 * 1024;
/**
 * Bodies up to this many characters are parsed with one JSON.parse (~2 ms for 1000 records, far
 * under a slice): half the CPU of finding each element's range and parsing it on its own, which
 * larger bodies still do so that no single call holds the event loop for long.
 */
const WHOLE_PARSE_CHARS = 1024 * 1024;
/** Malformed NDJSON lines listed in the 400 when no line is JSON at all. */
const REPORTED_MALFORMED_LINES = 20;

/**
 * The candidate records of a body — a JSON array, `{"records": [...]}`, or NDJSON — each at its
 * position (array index, or NDJSON line number). The shape, encoding and record count are checked
 * at once; the records themselves are parsed one by one as they are iterated, so the caller can
 * interleave parsing with other work. More than `maxRecords` records: LimitExceeded (413) — for JSON before any record
 * is built, for NDJSON when iteration reaches the line past the limit (lines are counted as they are
 * read); either way nothing of the request is enqueued.
 */
export async function parseBatch(
  body: Buffer,
  contentTypeHeader: string | undefined,
  maxRecords: number,
  slicer: TimeSlicer,
  loneObjectIsRecord = false,
): Promise<Iterable<Candidate>> {
  const mediaType = (contentTypeHeader ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (NDJSON_TYPES.has(mediaType)) return ndjsonCandidates(await decode(body, slicer), maxRecords);
  if (JSON_TYPES.has(mediaType) || mediaType.endsWith('+json')) {
    return jsonCandidates(await decode(body, slicer), maxRecords, slicer, loneObjectIsRecord);
  }
  throw new UnsupportedFormat(`Content-Type "${mediaType}" is not supported.`, {
    supported: ['application/json', 'application/x-ndjson'],
  });
}

function tooManyRecords(maxRecords: number): LimitExceeded {
  return new LimitExceeded(`The request holds more than ${maxRecords} records; send them in several requests.`, {
    max_records: maxRecords,
  });
}

function notJson(err: unknown): MalformedInput {
  return new MalformedInput('The request body is not valid JSON.', { body: [(err as Error).message] });
}

/** UTF-8 text of the body (a leading BOM dropped), decoded in slices; MalformedInput (400) if it is not UTF-8. */
async function decode(body: Buffer, slicer: TimeSlicer): Promise<string> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  try {
    // One slice's worth at once: streaming mode costs a third more than one call.
    if (body.length <= DECODE_CHUNK_BYTES) return utf8.decode(body);
    for (let at = 0; at < body.length; at += DECODE_CHUNK_BYTES) {
      text += utf8.decode(body.subarray(at, at + DECODE_CHUNK_BYTES), { stream: true });
      if (slicer.due()) await slicer.yield();
    }
    return text + utf8.decode();
  } catch {
    throw new MalformedInput('The request body is not valid UTF-8.');
  }
}

async function jsonCandidates(
  text: string,
  maxRecords: number,
  slicer: TimeSlicer,
  loneObjectIsRecord: boolean,
): Promise<Iterable<Candidate>> {
  if (text.length <= WHOLE_PARSE_CHARS) return parseWhole(text, maxRecords, loneObjectIsRecord);
  let ranges;
  try {
    ranges = await jsonArrayElements(text, maxRecords, slicer);
  } catch (err) {
    if (err instanceof TooManyElements) throw tooManyRecords(maxRecords);
    throw err;
  }
  if (ranges === undefined) return parseWhole(text, maxRecords, loneObjectIsRecord);
  if (ranges.length === 0) throw new InvalidInput({ records: ['must contain at least one record'] });
  return parseElements(text, ranges);
}

function* parseElements(text: string, ranges: Array<[number, number]>): Generator<Candidate> {
  for (let index = 0; index < ranges.length; index++) {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(ranges[index][0], ranges[index][1]));
    } catch (err) {
      // One JSON document: an error anywhere refuses the whole body, as parsing it whole would.
      throw notJson(err);
    }
    yield { index, value };
  }
}

/**
 * Shapes other than an array or `{"records": [...]}` alone, and malformed JSON: small in practice, parsed
 * at once. With `loneObjectIsRecord` (a source preset), an object is one record.
 */
function parseWhole(text: string, maxRecords: number, loneObjectIsRecord: boolean): Candidate[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw notJson(err);
  }
  if (loneObjectIsRecord && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return [{ index: 0, value: parsed }];
  const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown } | null)?.records;
  if (!Array.isArray(list)) {
    throw new InvalidInput({ records: ['must be a JSON array of records, or an object {"records": [...]}'] });
  }
  if (list.length === 0) throw new InvalidInput({ records: ['must contain at least one record'] });
  if (list.length > maxRecords) throw tooManyRecords(maxRecords);
  return (list as unknown[]).map((value, index) => ({ index, value }));
}

/** One line, one record; blank lines are skipped, malformed ones rejected on their own. */
function* ndjsonCandidates(text: string, maxRecords: number): Generator<Candidate> {
  let records = 0;
  let parsed = 0;
  const malformed: { index: number; line: string[] }[] = [];
  for (let start = 0, index = 0; start <= text.length; index++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    if (++records > maxRecords) throw tooManyRecords(maxRecords);
    let candidate: Candidate;
    try {
      candidate = { index, value: JSON.parse(line) };
      parsed++;
    } catch (err) {
      const invalid: FieldErrors = { line: [`malformed JSON: ${(err as Error).message}`] };
      if (malformed.length < REPORTED_MALFORMED_LINES) malformed.push({ index, line: invalid.line });
      candidate = { index, invalid, line };
    }
    yield candidate;
  }
  if (records === 0) throw new InvalidInput({ records: ['must contain at least one record'] });
  if (parsed === 0) throw new MalformedInput('No line of the NDJSON body is valid JSON.', { lines: malformed });
}
