import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id this service answers with: the caller's, when it is a valid one, else a new UUID. */
export function requestIdOf(req: Request): string {
  const existing = (req as Request & { requestId?: string }).requestId;
  if (existing) return existing;
  const incoming = req.header(REQUEST_ID_HEADER);
  const id = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as Request & { requestId?: string }).requestId = id;
  return id;
}

/** Puts X-Request-Id on every response, before any route or error handler runs. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  res.setHeader(REQUEST_ID_HEADER, requestIdOf(req));
  next();
}
