import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/** One answer of the stub API: the conventions' statuses, error bodies, X-Error-Code and Retry-After. */
export interface StubAnswer {
  status: number;
  error?: string;
  retryAfter?: number;
  delayMs?: number;
}

/** What the stub answers for `METHOD /path` (query ignored); anything else is a 404 `not_found`. */
export type StubRoutes = Record<string, StubAnswer>;

const MESSAGES: Record<string, string> = {
  bad_request: 'The request body is malformed.',
  unauthorized: 'The API key is missing, invalid, or has been revoked.',
  forbidden: 'The API key does not have permission to perform this action.',
  not_found: 'The requested resource does not exist.',
  conflict: 'Session already declined.',
  validation_error: 'The given data was invalid.',
  rate_limit_exceeded: 'Too many requests. Please retry after 30 seconds.',
  internal_error: 'An unexpected error occurred.',
  service_unavailable: 'The API is temporarily unavailable.',
};

/** A tiny Verilock-like API behind nginx: JSON bodies in the conventions' shape, X-Error-Code on errors. */
export async function startStubUpstream(routes: StubRoutes): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    const answer = routes[`${req.method} ${(req.url ?? '/').split('?')[0]}`] ?? { status: 404, error: 'not_found' };
    setTimeout(() => {
      if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
      if (answer.status === 204) return void res.writeHead(204).end();
      res.setHeader('Content-Type', 'application/json');
      if (!answer.error) return void res.writeHead(answer.status).end(JSON.stringify({ id: 'ses_1a2b3c4d', status: 'approved' }));
      res.setHeader('X-Error-Code', answer.error);
      const details = answer.error === 'validation_error' ? { redirect_url: ['The redirect url must be a valid URL.'] } : {};
      const body = { error: answer.error, message: MESSAGES[answer.error] ?? answer.error, details };
      res.writeHead(answer.status).end(JSON.stringify(answer.retryAfter ? { ...body, details: { retry_after: answer.retryAfter } } : body));
    }, answer.delayMs ?? 0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}
