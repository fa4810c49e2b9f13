import { redactText } from './redact-text.js';
import { isSecretName, normaliseName, REDACTED } from './secret-names.js';

/**
 * Bounds that hold whatever validation lets through (it allows 32 levels and 16 KiB): beyond them a
 * value is masked whole rather than walked, so no input (a cycle from the log shipper, a million
 * levels) can overflow the stack or loop. Masking too much is the safe way to fail.
 */
const MAX_DEPTH = 64;
const MAX_VALUES = 100_000;

/** Keys that name the entry of a header or parameter list: `{name: "Authorization", value: "Bearer x"}`. */
const ENTRY_NAME_KEYS = new Set(['name', 'key', 'header', 'headername', 'field', 'param', 'parameter']);
const ENTRY_VALUE_KEYS = new Set(['value', 'values', 'val']);

type Container = Record<string, unknown> | unknown[];

/**
 * A copy of a JSON value with secrets masked: the value of every secret-named key at any depth, the
 * value of header-list entries naming a secret (`{name|key: "X-Api-Key", value: …}` and
 * `[["Authorization", …]]` pairs), and credentials inside every string (see redactText). Walked with
 * an explicit stack, never recursion.
 */
export function redactJson(value: unknown, denied: ReadonlySet<string>): unknown {
  if (!isContainer(value)) return typeof value === 'string' ? redactText(value, denied) : value;
  const root = emptyLike(value);
  // Each entry: the container, its copy, its depth, whether it is an element of a list.
  const stack: [Container, Container, number, boolean][] = [[value, root, 1, false]];
  let budget = MAX_VALUES;
  while (stack.length > 0) {
    const [source, target, depth, inList] = stack.pop()!;
    const isList = Array.isArray(source);
    const secretEntry = isList ? inList && isSecretPair(source, denied) : namesSecret(source, denied);
    for (const key of isList ? source.keys() : Object.keys(source)) {
      const child = (source as Record<string | number, unknown>)[key];
      let copy: unknown;
      if (--budget < 0 || (secretEntry && (isList ? key === 1 : ENTRY_VALUE_KEYS.has(normaliseName(key as string))))) copy = REDACTED;
      else if (!isList && isSecretName(key as string, denied)) copy = REDACTED;
      else if (typeof child === 'string') copy = redactText(child, denied);
      else if (!isContainer(child)) copy = child;
      else if (depth >= MAX_DEPTH) copy = REDACTED;
      else {
        copy = emptyLike(child);
        stack.push([child, copy as Container, depth + 1, isList]);
      }
      if (isList) (target as unknown[]).push(copy);
      // defineProperty: a "__proto__" key (JSON.parse makes it an own property) stays data instead of becoming a prototype.
      else if (key === '__proto__')
        Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
      else (target as Record<string, unknown>)[key as string] = copy;
    }
  }
  return root;
}

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

function emptyLike(value: Container): Container {
  return Array.isArray(value) ? [] : {};
}

/** `{name: "Authorization", value: …}`: an entry-name key whose value is a secret name. */
function namesSecret(entry: Record<string, unknown>, denied: ReadonlySet<string>): boolean {
  for (const key in entry) {
    if (!Object.hasOwn(entry, key) || !ENTRY_NAME_KEYS.has(normaliseName(key))) continue;
    const name = entry[key];
    if (typeof name === 'string' && isSecretName(name, denied)) return true;
  }
  return false;
}

/**
 * `["Authorization", "Bearer x"]` in a list of such pairs (Object.entries, Headers#entries): two
 * elements led by a secret name. Only inside a list, so `{missing: ["password", "email"]}` keeps "email".
 */
function isSecretPair(list: unknown[], denied: ReadonlySet<string>): boolean {
  return list.length === 2 && typeof list[0] === 'string' && isSecretName(list[0], denied);
}
