import type { NextFunction, Request, Response } from 'express';

/**
 * Headers on every response of both apps, errors and /metrics included, set before any route runs
 * (a route may still replace one, as the support page sets its own full Content-Security-Policy):
 * - `X-Content-Type-Options: nosniff`: a browser never guesses a type (JSON echoing input is not HTML).
 * - `Cache-Control: no-store`: keyed answers and errors carry request data; nothing here is meant to be
 *   kept by a browser or a shared proxy (the Swagger UI's static files are re-fetched: a small cost).
 * - `Content-Security-Policy: frame-ancestors 'none'` and `X-Frame-Options: DENY`: no page of this
 *   service can be framed (the /docs Authorize dialog and the /support page take keys: clickjacking).
 */
export function securityHeadersMiddleware(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.setHeader('X-Frame-Options', 'DENY');
  next();
}
