import type { AccessLogRecord } from '#libs/access-log';
import { type LogSink, PermanentSinkError, RetryLaterError, type SinkResult } from './log-sink.js';

export interface HttpSinkOptions {
  /** Base URL of the error-analytics api, e.g. `http://analytics:3000`. */
  url: string;
  /** A key allowed to write logs, sent as X-API-Key. */
  apiKey?: string;
  timeoutMs?: number;
}

/**
 * POSTs batches to `/v1/logs`. 429 and 503 throw RetryLaterError with the answer's Retry-After, other
 * 5xx and network errors a plain Error (the caller keeps the batch and retries); any other 4xx means
 * the batch itself (or the key) is refused, so retrying would loop forever. A 202 reports how many
 * records the api rejected on their own.
 */
export function httpSink(options: HttpSinkOptions): LogSink {
  const endpoint = new URL('/v1/logs', options.url).toString();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  return {
    async send(records: AccessLogRecord[]): Promise<SinkResult> {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(records),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (res.status === 202) return { rejected: rejectedCount(text) };
      const reason = `POST /v1/logs answered ${res.status}: ${text.slice(0, 300)}`;
      if (res.status === 429 || res.status === 503) throw new RetryLaterError(reason, retryAfterMs(res.headers.get('retry-after')));
      if (res.status >= 500) throw new Error(reason);
      throw new PermanentSinkError(reason, res.status);
    },
    close: async () => undefined,
  };
}

function rejectedCount(body: string): number {
  try {
    const count = (JSON.parse(body) as { rejectedCount?: unknown }).rejectedCount;
    return typeof count === 'number' ? count : 0;
  } catch {
    return 0;
  }
}

/** Retry-After as milliseconds: delay-seconds, or an HTTP-date from now (RFC 9110 §10.2.3); undefined if absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
