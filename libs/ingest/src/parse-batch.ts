import type { FieldErrors } from '#libs/access-log';
import { ApiError, validationError } from '#libs/http-errors';

/** What a body holds: candidate records, each at its position (array index, or NDJSON line number). */
export interface ParsedBatch {
  items: { index: number; value: unknown }[];
  /** NDJSON lines that were not JSON, by line number: rejected on their own, the rest still ingested. */
  unparsable: { index: number; details: FieldErrors }[];
}

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON array, `{"records": [...]}`, or NDJSON body into candidate records. */
export function parseBatch(body: Buffer, contentTypeHeader: string | undefined): ParsedBatch {
  const mediaType = (contentTypeHeader ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const text = decode(body);
  if (NDJSON_TYPES.has(mediaType)) return parseNdjson(text);
  if (JSON_TYPES.has(mediaType) || mediaType.endsWith('+json')) return parseJson(text);
  throw new ApiError(415, 'unsupported_media_type', `Content-Type "${mediaType}" is not supported.`, {
    supported: ['application/json', 'application/x-ndjson'],
  });
}

function decode(body: Buffer): string {
  try {
    return utf8.decode(body).replace(/^\uFEFF/, '');
  } catch {
    throw new ApiError(400, 'bad_request', 'The request body is not valid UTF-8.', {});
  }
}

function parseJson(text: string): ParsedBatch {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'bad_request', 'The request body is not valid JSON.', { body: [(err as Error).message] });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown } | null)?.records;
  if (!Array.isArray(list)) {
    throw validationError({ records: ['must be a JSON array of records, or an object {"records": [...]}'] });
  }
  if (list.length === 0) throw validationError({ records: ['must contain at least one record'] });
  return { items: list.map((value, index) => ({ index, value })), unparsable: [] };
}

function parseNdjson(text: string): ParsedBatch {
  const batch: ParsedBatch = { items: [], unparsable: [] };
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      batch.items.push({ index, value: JSON.parse(line) });
    } catch (err) {
      batch.unparsable.push({ index, details: { line: [`malformed JSON: ${(err as Error).message}`] } });
    }
  });
  if (batch.items.length === 0 && batch.unparsable.length === 0) {
    throw validationError({ records: ['must contain at least one record'] });
  }
  if (batch.items.length === 0) {
    throw new ApiError(400, 'bad_request', 'No line of the NDJSON body is valid JSON.', {
      lines: batch.unparsable.slice(0, 20).map((u) => ({ index: u.index, ...u.details })),
    });
  }
  return batch;
}
