import querystring from 'node:querystring';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorAnswer } from './all-exceptions.filter.js';
import { answerClientError } from './client-errors.js';
import type { HttpConfig } from './http.config.js';
import { setRequestIdHeader } from './request-id.js';
import { setSecurityHeaders } from './security-headers.js';

/**
 * The longest route parameter the router matches. find-my-way's default (100) would answer a longer
 * request id itself, before the lookup's own validation answers it (422 past 128 characters, else 404);
 * Node's header size limit (16 KB, the request line included) bounds a parameter anyway.
 */
const MAX_PARAM_LENGTH = 16 * 1024;

/** X-Request-Id and the security headers: on every answer, set before any route or error handler runs. */
export function setAnswerHeaders(request: FastifyRequest, reply: FastifyReply): void {
  setRequestIdHeader(request, reply);
  setSecurityHeaders(reply);
}

/**
 * The HTTP platform of both apps: Fastify (its router and reply cost a fraction of Express's per
 * request: docs/benchmarks.md), set up so that every answer, the router's and Node's own early ones
 * included, leaves through the one error rendering (AllExceptionsFilter) in the Verilock shape.
 * - TRUST_PROXY: which hops may set X-Forwarded-For, so request.ip is the real client (Express's forms).
 * - query strings are parsed as before (Node's querystring, Express 5's "simple" parser: a repeated key
 *   becomes an array, no nesting), into the prototype-less object services already expect.
 * - Fastify's own 503 while closing is off: requests already on a connection are served to the end.
 * - no middie: nothing here is Express-style middleware (Fastify hooks are cheaper).
 */
export function createHttpAdapter(http: HttpConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: trustProxyOf(http.trustProxy),
    return503OnClosing: false,
    skipMiddie: true,
    clientErrorHandler: answerClientError,
    // A URL the router cannot decode is refused before any hook runs: the headers are set here, and the
    // answer is the filter's (Fastify's error handler for it would answer in its own shape).
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      setAnswerHeaders(request, reply);
      sendErrorAnswer(error, request, reply);
    },
    routerOptions: {
      maxParamLength: MAX_PARAM_LENGTH,
      querystringParser: (text) => querystring.parse(text),
      // Paths match as Express matched them: in any letter case, with or without a trailing slash.
      caseSensitive: false,
      ignoreTrailingSlash: true,
    },
  });
}

/**
 * TRUST_PROXY as Fastify takes it. A hop count means what it meant to Express (trust the nearest N hops,
 * whatever their address): Fastify's own number form trusts no hop at all.
 */
function trustProxyOf(trustProxy: HttpConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trustProxy === 'number' ? (_address, hop) => hop < trustProxy : trustProxy;
}
