import type { AccessLogRecord } from '#libs/access-log';
import { type LogSink, PermanentSinkError } from './log-sink.js';

export interface HttpSinkOptions {
  /** Base URL of the error-analytics api, e.g. `http://analytics:3000`. */
  url: string;
  /** A key allowed to write logs, sent as X-API-Key. */
  apiKey?: string;
  timeoutMs?: number;
}

/**
 * POSTs batches to `/v1/logs`. 429, 5xx and network errors throw (the shipper keeps the batch and
 * retries); any other 4xx means the batch itself is refused, so retrying would loop forever.
 */
export function httpSink(options: HttpSinkOptions): LogSink {
  const endpoint = new URL('/v1/logs', options.url).toString();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  return {
    async send(records: AccessLogRecord[]) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(records),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (res.status === 202) return;
      const reason = `POST /v1/logs answered ${res.status}: ${text.slice(0, 300)}`;
      if (res.status === 429 || res.status >= 500) throw new Error(reason);
      throw new PermanentSinkError(reason);
    },
    close: async () => undefined,
  };
}
