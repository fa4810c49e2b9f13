import { CliExit } from '../run-cli.js';

/** A keyed GET against the running api; a non-2xx answer becomes a readable CliExit (status 1). */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    const url = new URL(path, this.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, { headers: { 'X-API-Key': this.apiKey, Accept: 'application/json' } });
    } catch (err) {
      // fetch's own message is "fetch failed"; the reason (ECONNREFUSED…) is in its cause.
      const { cause, message } = err as Error;
      const reason = cause instanceof Error ? cause.message : message;
      throw new CliExit(1, `cannot reach the api at ${this.baseUrl} (${reason}): is it running? (npm run up -- --detach)`);
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const details = body.details && Object.keys(body.details).length ? `\n${JSON.stringify(body.details, null, 2)}` : '';
      throw new CliExit(1, `${res.status} ${textOr(body.error, 'error')}: ${textOr(body.message, res.statusText)}${details}`);
    }
    return body as T;
  }

  /** Like get, but a 404 is `undefined` (an optional endpoint or an unknown id). */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (err) {
      if (err instanceof CliExit && err.message.startsWith('404 ')) return undefined;
      throw err;
    }
  }
}

/** Plain-text table: columns padded to their widest cell, a header row and a rule. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

/** "3 min ago", "2 h ago", "in 5 s". */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  const abs = Math.abs(s);
  const text =
    abs < 90
      ? `${abs} s`
      : abs < 5400
        ? `${Math.round(abs / 60)} min`
        : abs < 172_800
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} d`;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

/** A field of an error body as text: the body is the api's, but the CLI may meet anything at that address. */
function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
