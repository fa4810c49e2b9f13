import { isSecretName, REDACTED } from './secret-names.js';

/** A copy of a JSON value with the value of every secret-named key, at any depth, replaced. */
export function redactJson(value: unknown, denied: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redactJson(v, denied));
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties, so a "__proto__" key stays data instead of becoming a prototype.
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, isSecretName(key, denied) ? REDACTED : redactJson(v, denied)]));
}

// The `name=` / `name:` / `"name":` part of a pair in free text; the value is read after it, so a
// pair with a harmless name never swallows the next one.
const NAME_SEPARATOR = /(["']?)([A-Za-z][A-Za-z0-9_-]*)\1\s*[:=]\s*/g;
const VALUE = /^(?:(["'])(?:(?!\1)[^\\]|\\.)*\1|[^\s&,;]+)/;
const CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Free text (error messages) with credentials after Bearer/Basic and the values of secret-named pairs masked. */
export function redactText(text: string, denied: ReadonlySet<string>): string {
  const masked = text.replace(CREDENTIAL, (_whole, scheme: string) => `${scheme} ${REDACTED}`);
  let out = '';
  let done = 0;
  for (const match of masked.matchAll(NAME_SEPARATOR)) {
    if (match.index < done || !isSecretName(match[2]!, denied)) continue;
    const valueStart = match.index + match[0].length;
    const value = VALUE.exec(masked.slice(valueStart));
    if (!value) continue;
    const quote = value[1] ?? '';
    out += masked.slice(done, valueStart) + quote + REDACTED + quote;
    done = valueStart + value[0].length;
  }
  return out + masked.slice(done);
}
