import type { FastifyReply } from 'fastify';

/**
 * Headers on every response of both apps, errors and /metrics included, set before any route runs
 * (a route may still replace one, as the support page sets its own full Content-Security-Policy):
 * - `X-Content-Type-Options: nosniff`: a browser never guesses a type (JSON echoing input is not HTML).
 * - `Cache-Control: no-store`: keyed answers and errors carry request data; nothing here is meant to be
 *   kept by a browser or a shared proxy (the Swagger UI's static files are re-fetched: a small cost).
 * - `Content-Security-Policy: frame-ancestors 'none'` and `X-Frame-Options: DENY`: no page of this
 *   service can be framed (the /docs Authorize dialog and the /support page take keys: clickjacking).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};

export function setSecurityHeaders(reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
}
