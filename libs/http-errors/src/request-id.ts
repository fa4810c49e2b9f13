import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type RequestWithId = Pick<FastifyRequest, 'headers'> & { requestId?: string };

/** The request id this service answers with: the caller's, when it is a valid one, else a new UUID. */
export function requestIdOf(req: RequestWithId): string {
  if (req.requestId) return req.requestId;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.requestId = id;
  return id;
}

/** Puts X-Request-Id on the answer (a Fastify `onRequest` hook runs it before any route or error handler). */
export function setRequestIdHeader(req: RequestWithId, reply: FastifyReply): void {
  reply.header(REQUEST_ID_HEADER, requestIdOf(req));
}
