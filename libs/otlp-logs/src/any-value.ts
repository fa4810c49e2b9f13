import type { AnyValue, Int64, KeyValue } from './otlp-definitions.js';

/**
 * An OTLP AnyValue as the plain JSON value a preset reads: strings, booleans and doubles as they are,
 * an int64 as a number when it is a safe integer (else its decimal string), an array as an array, a
 * key-value list as an object, bytes as base64. Objects have no prototype: a key named `__proto__`
 * is a key like any other.
 */
export function plainValue(value: AnyValue | null | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (value.stringValue !== null && value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== null && value.intValue !== undefined) return plainInt(value.intValue);
  if (value.doubleValue !== null && value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== null && value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plainValue);
  if (value.kvlistValue) return plainObject(value.kvlistValue.values);
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('base64');
  return undefined;
}

/** Key-value pairs as an object (a repeated key: the last one wins). `into` is filled when given. */
export function plainObject(
  pairs: KeyValue[] | null | undefined,
  into: Record<string, unknown> = Object.create(null) as Record<string, unknown>,
): Record<string, unknown> {
  for (const pair of pairs ?? []) if (typeof pair.key === 'string') into[pair.key] = plainValue(pair.value);
  return into;
}

/** An int64 as a number when exact, else as its decimal string. */
export function plainInt(value: Int64): number | string {
  if (typeof value === 'number') return value;
  const text = value.toString();
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : text;
}
