import { validationError } from '#libs/http-errors';

type RawQuery = Record<string, unknown>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads query parameters while collecting every problem, so one 422 names all bad fields at once
 * (the conventions' validation_error with per-field details). Unknown parameters are errors too:
 * a typo such as `stauts=503` must not silently widen a search.
 */
export class QueryParams {
  private readonly errors: Record<string, string[]> = {};

  constructor(
    private readonly query: RawQuery,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(query)) if (!allowed.includes(name)) this.fail(name, 'is not a known parameter');
  }

  fail(name: string, message: string): void {
    (this.errors[name] ??= []).push(message);
  }

  hasError(name: string): boolean {
    return name in this.errors;
  }

  /** Throws the 422 if any parameter was bad. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw validationError(this.errors);
  }

  /** A single value; a repeated parameter is an error. */
  string(name: string, pattern?: RegExp, hint = 'has an invalid format'): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(name, 'must be given once'), undefined;
    if (value === '' || (pattern && !pattern.test(value))) return this.fail(name, hint), undefined;
    return value;
  }

  time(name: string): Date | undefined {
    const value = this.string(name, RFC3339, 'must be an RFC 3339 date-time with a zone, such as 2026-11-25T10:00:00Z');
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return this.fail(name, 'is not a valid date-time'), undefined;
    return date;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.string(name, /^\d+$/, `must be an integer from ${min} to ${max}`);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (n < min || n > max) return this.fail(name, `must be an integer from ${min} to ${max}`), undefined;
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!values.includes(value as T)) return this.fail(name, `must be one of ${values.join(', ')}`), undefined;
    return value as T;
  }

  /** A list given as `a,b`, as repeated parameters, or both; empty items are ignored. */
  list(name: string): string[] {
    const value = this.query[name];
    if (value === undefined) return [];
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
    if (parts.includes(null)) return this.fail(name, 'must be a comma-separated list'), [];
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
