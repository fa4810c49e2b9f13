import type { Response } from 'express';

/** The error fields of a JSON error body in the conventions' shape. */
export interface CapturedError {
  error?: string;
  message?: string;
  details?: unknown;
}

/**
 * Keeps a copy of what an error response (status ≥ 400) writes, up to `maxBytes`; 2xx bodies are
 * never copied, and a body over the bound is given up rather than buffered. `read()` parses it.
 */
export function captureErrorBody(res: Response, maxBytes: number): { read(): CapturedError } {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (overflow || res.statusCode < 400 || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array);
    if (size + buffer.length > maxBytes) {
      overflow = true;
      chunks.length = 0;
      return;
    }
    chunks.push(buffer);
    size += buffer.length;
  };
  // Kept to be called back with .call(this) below, as Node's own methods.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this)
  const write = res.write;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this)
  const end = res.end;
  res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response['write'];
  res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => Response).call(this, chunk, ...rest);
  } as Response['end'];

  return {
    read() {
      if (overflow || size === 0 || !isPlainJson(res)) return {};
      try {
        return errorFields(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch {
        return {};
      }
    },
  };
}

function isPlainJson(res: Response): boolean {
  const encoding = res.getHeader('content-encoding');
  return /json/i.test(String(res.getHeader('content-type') ?? '')) && (encoding === undefined || encoding === 'identity');
}

function errorFields(body: unknown): CapturedError {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const { error, message, details } = body as Record<string, unknown>;
  return {
    error: typeof error === 'string' ? error : undefined,
    message: typeof message === 'string' ? message : undefined,
    details: details !== null && typeof details === 'object' ? details : undefined,
  };
}
