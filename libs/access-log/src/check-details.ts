import { MAX_DETAILS_BYTES, MAX_DETAILS_DEPTH } from './record-limits.js';
import { isStorableText } from './storable-text.js';

export type DetailsCheck = { ok: true; value: object } | { ok: false; message: string };

const NOT_AN_OBJECT = 'must be a JSON object or array';
const TOO_DEEP = `must not nest arrays and objects more than ${MAX_DETAILS_DEPTH} levels deep`;
const TOO_LARGE = `must be at most ${MAX_DETAILS_BYTES} bytes of JSON (UTF-8)`;
const UNSTORABLE = 'must not contain NUL characters or unpaired surrogates';
const NOT_JSON = 'must hold only JSON values: strings, finite numbers, booleans, null, arrays and objects';

/**
 * Checks a record's `details` (an object or array) against what Postgres's jsonb stores and what
 * redaction walks: at most MAX_DETAILS_DEPTH levels, MAX_DETAILS_BYTES of JSON, no NUL or lone
 * surrogate in any key or string, only JSON values. The walk keeps its own stack, so a value nested
 * thousands of levels deep (a 6 KB body can be) is refused instead of overflowing the call stack.
 * Objects that are not plain (a Date or a class from the log shipper) are stored as JSON makes them,
 * so that value is returned, checked again.
 */
export function checkDetails(value: object): DetailsCheck {
  const shape = walkSafely(value);
  if (shape !== 'plain' && shape !== 'needs-json') return { ok: false, message: shape };
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return { ok: false, message: NOT_JSON };
  }
  // UTF-8 takes at least one byte per UTF-16 unit and at most three: count bytes only when it matters.
  if (json.length > MAX_DETAILS_BYTES || (json.length * 3 > MAX_DETAILS_BYTES && Buffer.byteLength(json) > MAX_DETAILS_BYTES)) {
    return { ok: false, message: TOO_LARGE };
  }
  if (shape === 'plain') return { ok: true, value };
  const converted: unknown = JSON.parse(json);
  if (converted === null || typeof converted !== 'object') return { ok: false, message: NOT_AN_OBJECT };
  const again = walkSafely(converted);
  return again === 'plain' ? { ok: true, value: converted } : { ok: false, message: again === 'needs-json' ? NOT_JSON : again };
}

/** walk, where a getter that throws (an object from the log shipper can have one) means "not JSON". */
function walkSafely(root: object): ReturnType<typeof walk> {
  try {
    return walk(root);
  } catch {
    return NOT_JSON;
  }
}

/** One pass over the value with an explicit stack: 'plain', 'needs-json' (some object is not plain), or why it is refused. */
function walk(root: object): string {
  let needsJson = false;
  // Every JSON value takes at least a byte, so more values than MAX_DETAILS_BYTES is too large already.
  let seen = 1;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    switch (typeof value) {
      case 'string':
        if (!isStorableText(value)) return UNSTORABLE;
        continue;
      case 'number':
        if (!Number.isFinite(value)) return NOT_JSON;
        continue;
      case 'boolean':
      case 'undefined':
        continue;
      case 'object':
        break;
      default:
        return NOT_JSON;
    }
    if (value === null) continue;
    if (depth > MAX_DETAILS_DEPTH) return TOO_DEEP;
    const isArray = Array.isArray(value);
    const keys = isArray ? null : Object.keys(value);
    seen += isArray ? (value as unknown[]).length : keys!.length;
    if (seen > MAX_DETAILS_BYTES) return TOO_LARGE;
    if (isArray) {
      for (const item of value as unknown[]) stack.push([item, depth + 1]);
      continue;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) needsJson = true;
    for (const key of keys!) {
      if (!isStorableText(key)) return UNSTORABLE;
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return needsJson ? 'needs-json' : 'plain';
}
