import { InvalidInput } from '#libs/errors';

type RawQuery = Record<string, unknown>;

/** Postgres text cannot hold NUL: such a value could never match, and would fail the query. */
const NO_NUL = 'must not contain NUL characters';

/**
 * Times the API accepts (query `from`/`to`, cursors): 1970-01-01 to 9999-01-01 UTC. Every stored row
 * is within days of now, and this keeps Postgres's timestamp range (4713 BC–294276 AD) out of reach.
 */
const SERVED_TIME_RANGE = { min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 0, 1) };

export function isServedTime(date: Date): boolean {
  const t = date.getTime();
  return t >= SERVED_TIME_RANGE.min && t <= SERVED_TIME_RANGE.max;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads query parameters while collecting every problem, so one 422 names all bad fields at once
 * (the conventions' validation_error with per-field details). Unknown parameters are errors too:
 * a typo such as `stauts=503` must not silently widen a search.
 */
export class QueryParams {
  // A Map, never a plain object: parameter names are the caller's (`toString`, `__proto__`, `constructor`).
  private readonly errors = new Map<string, string[]>();

  constructor(
    private readonly query: RawQuery,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(query)) if (!allowed.includes(name)) this.fail(name, 'is not a known parameter');
  }

  fail(name: string, message: string): void {
    const messages = this.errors.get(name);
    if (messages) messages.push(message);
    else this.errors.set(name, [message]);
  }

  hasError(name: string): boolean {
    return this.errors.has(name);
  }

  /** Throws InvalidInput (a 422 over HTTP) if any parameter was bad. */
  done(): void {
    if (this.errors.size === 0) return;
    // A prototype-less object, so a parameter named `__proto__` is an ordinary key of the details.
    const details = Object.create(null) as Record<string, string[]>;
    for (const [name, messages] of this.errors) details[name] = messages;
    throw new InvalidInput(details);
  }

  /** The raw value of a parameter the caller really sent (never one inherited from Object.prototype). */
  private raw(name: string): unknown {
    return Object.hasOwn(this.query, name) ? this.query[name] : undefined;
  }

  /** A single value; a repeated parameter (or a `name[key]=` object) is an error. */
  string(name: string, pattern?: RegExp, hint = 'has an invalid format'): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return (this.fail(name, 'must be given once, as a single value'), undefined);
    if (value.includes('\0')) return (this.fail(name, NO_NUL), undefined);
    if (value === '' || (pattern && !pattern.test(value))) return (this.fail(name, hint), undefined);
    return value;
  }

  time(name: string): Date | undefined {
    const value = this.string(name, RFC3339, 'must be an RFC 3339 date-time with a zone, such as 2026-11-25T10:00:00Z');
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return (this.fail(name, 'is not a valid date-time'), undefined);
    if (!isServedTime(date)) return (this.fail(name, 'must be between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z'), undefined);
    return date;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.string(name, /^\d+$/, `must be an integer from ${min} to ${max}`);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (n < min || n > max) return (this.fail(name, `must be an integer from ${min} to ${max}`), undefined);
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!values.includes(value as T)) return (this.fail(name, `must be one of ${values.join(', ')}`), undefined);
    return value as T;
  }

  /** A list given as `a,b`, as repeated parameters, or both; empty items are ignored. */
  list(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
    if (parts.includes(null)) return (this.fail(name, 'must be a comma-separated list'), []);
    if (parts.some((p) => p!.includes('\0'))) return (this.fail(name, NO_NUL), []);
    return (parts as string[]).map((p) => p.trim()).filter((p) => p !== '');
  }

  statuses(name: string): number[] {
    const items = this.list(name);
    const bad = items.filter((s) => !/^[1-5]\d\d$/.test(s));
    if (bad.length > 0) this.fail(name, `must be HTTP status codes from 100 to 599 (got ${bad.slice(0, 3).join(', ')})`);
    return [...new Set(items.filter((s) => !bad.includes(s)).map(Number))];
  }

  /** `4xx,5xx` → [4, 5]. */
  statusClasses(name: string): number[] {
    const items = this.list(name);
    const bad = items.filter((s) => !/^[1-5]xx$/i.test(s));
    if (bad.length > 0) this.fail(name, 'must be status classes such as 4xx or 5xx');
    return [...new Set(items.filter((s) => !bad.includes(s)).map((s) => Number(s[0])))];
  }
}
