import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * For a refusal sent before the request body was read (auth, rate limits): `Connection: close`, so
 * Node closes the socket after the answer instead of draining, and waiting for, a body nobody reads.
 * A slow or endless sender is then cut off at once rather than held until HTTP_REQUEST_TIMEOUT_MS.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
}
