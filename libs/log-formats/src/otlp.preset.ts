import { duration, integer, isAbsent, retryAfter, text } from './field-values.js';
import { type CandidateBuilder, lineMapper, objectOf } from './mapped-record.js';

const NANOS_PER_MS = 1_000_000n;
const DIGITS = /^\d{1,20}$/;

/**
 * One OTLP log record, as libs/otlp-logs hands it over (`{attributes, timeUnixNano,
 * observedTimeUnixNano, body}`, the record's attributes over its resource's), read through the HTTP
 * semantic conventions; where a name changed, the older one is read too. The attribute map is in
 * docs/sources.md#otlp.
 */
export const mapOtlp = lineMapper('an OTLP log record', (line, out) => {
  const attributes = objectOf(line.attributes) ?? {};
  const [read, from] = reader(attributes);
  // time_unix_nano is when the request happened; 0 (unset) falls back to when it was observed.
  const timestamp =
    nanosTimestamp(line.timeUnixNano, 'timeUnixNano', out) ?? nanosTimestamp(line.observedTimeUnixNano, 'observedTimeUnixNano', out);
  const answer = errorAnswer(line.body);
  const seconds = read('http.server.request.duration');
  return {
    requestId: text(read('http.request.header.x-request-id', 'http.response.header.x-request-id')),
    timestamp,
    method: text(read('http.request.method', 'http.method')),
    path: text(read('url.path', 'http.target')) ?? pathOf(read('url.full', 'http.url')),
    route: text(read('http.route')),
    status: integer(read('http.response.status_code', 'http.status_code'), 'status', from(), out),
    durationMs:
      seconds === undefined
        ? duration(read('verilock.duration_ms'), 'ms', 'verilock.duration_ms', out)
        : duration(seconds, 's', 'http.server.request.duration', out),
    error: text(read('verilock.error.code', 'http.response.header.x-error-code')) ?? answer?.error,
    message: answer?.message,
    details: answer?.details,
    retryAfter: retryAfter(read('http.response.header.retry-after'), timestamp, 'http.response.header.retry-after', out),
    apiKeyId: text(read('http.response.header.x-api-key-id')),
    clientIp: text(read('client.address', 'http.client_ip')),
    userAgent: text(read('user_agent.original', 'http.user_agent')),
  };
});

/**
 * `read(...names)`: the first name's value that is present, a header's first value when it is an array
 * (semconv's `http.*.header.*` are string arrays); `from()`: the name last read, for error messages.
 */
function reader(attributes: Record<string, unknown>): [(...names: string[]) => unknown, () => string] {
  let last = '';
  const read = (...names: string[]) => {
    for (const name of names) {
      last = name;
      const value = Array.isArray(attributes[name]) ? (attributes[name] as unknown[])[0] : attributes[name];
      if (!isAbsent(value)) return value;
    }
    last = names[0];
    return undefined;
  };
  return [read, () => last];
}

/** Nanoseconds since the epoch (a decimal string or number) as ISO 8601; 0 or absent: absent. */
function nanosTimestamp(value: unknown, from: string, out: CandidateBuilder): string | undefined {
  if (isAbsent(value) || value === 0 || value === '0') return undefined;
  const date = DIGITS.test(String(value)) ? new Date(Number(BigInt(String(value)) / NANOS_PER_MS)) : new Date(NaN);
  if (Number.isNaN(date.getTime())) return out.fail('timestamp', `must be nanoseconds since the epoch (from "${from}")`);
  return date.toISOString();
}

/** The path of an absolute URL (`url.full`), without its query; not a URL: absent. */
function pathOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  return new URL(value).pathname;
}

/**
 * The Verilock error answer a body holds, as a JSON string or a key-value list: `{error, message,
 * details}` with a string `error`. Any other body (a free-text log line) carries nothing.
 */
function errorAnswer(body: unknown): { error: string; message: unknown; details: unknown } | undefined {
  let value = body;
  if (typeof body === 'string' && body.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const answer = objectOf(value);
  if (answer === undefined || typeof answer.error !== 'string') return undefined;
  return { error: answer.error, message: text(answer.message), details: answer.details ?? undefined };
}
