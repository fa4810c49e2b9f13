import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_PATTERN } from '#libs/access-log';
import { captureErrorBody } from './capture-error-body.js';
import type { LogShipper } from './log-shipper.js';

export interface AccessLogMiddlewareOptions {
  /** The caller's API key ID (never the key itself), e.g. `(req) => req.apiKey?.id`. */
  apiKeyId?: (req: Request, res: Response) => string | null | undefined;
  /** Error bodies larger than this are not parsed (the record keeps status and headers). */
  maxCapturedBodyBytes?: number;
}

const REQUEST_ID_HEADER = 'X-Request-Id';
/** What nginx logs for a client that went away before the response: not a status the API sent. */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * Express/NestJS middleware recording every response as an access-log record on `shipper`. Gives
 * the response an X-Request-Id when nothing set one (a valid incoming one is kept); does its work
 * when the response has finished, so the request path only pays for a few closures.
 */
export function accessLogMiddleware(shipper: LogShipper, options: AccessLogMiddlewareOptions = {}) {
  const maxBodyBytes = options.maxCapturedBodyBytes ?? 16 * 1024;
  return function shipAccessLog(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const incoming = req.header(REQUEST_ID_HEADER);
    const generatedId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    if (!res.getHeader(REQUEST_ID_HEADER)) res.setHeader(REQUEST_ID_HEADER, generatedId);
    const body = captureErrorBody(res, maxBodyBytes);
    let done = false;

    const record = () => {
      if (done) return;
      done = true;
      const finished = res.writableFinished;
      const sentId = String(res.getHeader(REQUEST_ID_HEADER) ?? '');
      const { error, message, details } = finished
        ? body.read()
        : { error: 'client_closed_request', message: 'The client closed the connection before the response was sent.', details: undefined };
      shipper.record({
        requestId: REQUEST_ID_PATTERN.test(sentId) ? sentId : generatedId,
        timestamp: new Date().toISOString(),
        method: req.method,
        path: req.originalUrl || req.url,
        route: routeTemplate(req),
        status: finished ? res.statusCode : CLIENT_CLOSED_REQUEST,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        error,
        message,
        details,
        retryAfter: retryAfterSeconds(res.getHeader('retry-after')),
        apiKeyId: safely(() => options.apiKeyId?.(req, res)) ?? undefined,
        clientIp: req.ip,
        userAgent: req.header('user-agent')?.slice(0, 512),
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

/** The matched route's template (Express, and Nest which routes through Express), else undefined: derived later. */
function routeTemplate(req: Request): string | undefined {
  const path = (req as { route?: { path?: unknown } }).route?.path;
  if (typeof path !== 'string') return undefined;
  const joined = `${req.baseUrl ?? ''}${path === '/' && req.baseUrl ? '' : path}`;
  return joined.startsWith('/') && joined.length <= 512 ? joined : undefined;
}

/** Retry-After as seconds: given as seconds, or as an HTTP date counted from now. */
function retryAfterSeconds(header: unknown): number | undefined {
  if (header === undefined) return undefined;
  // Express gives a header as a string, or a list when it was set more than once: the first counts.
  const first: unknown = Array.isArray(header) ? header[0] : header;
  if (typeof first !== 'string' && typeof first !== 'number') return undefined;
  const value = String(first).trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value), 86_400);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, Math.ceil((date - Date.now()) / 1000)), 86_400);
}

/** A throwing user callback must not break logging of the response. */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
