import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#libs/errors';
import { ApiError } from './api-error.js';
import { domainErrorAnswer, type ErrorAnswer, type ErrorBody } from './domain-error-answer.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  431: 'request_header_fields_too_large',
  500: 'internal_error',
  503: 'service_unavailable',
};
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * The one global exception filter: every error leaves in the Verilock shape with the X-Request-Id.
 * 500s are logged with that id and never expose internals to the caller.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendErrorAnswer(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>());
  }
}

/** Answers `exception` in the Verilock shape; the filter and the router's early refusals (http-adapter.ts) share it. */
export function sendErrorAnswer(exception: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const requestId = requestIdOf(req);
  const { status, body, headers } = errorAnswerFor(exception, requestId);
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy();
    return;
  }
  reply.header(REQUEST_ID_HEADER, requestId);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if ((status === 429 || status === 503) && !reply.getHeader('Retry-After')) {
    const retryAfter = body.details.retry_after;
    reply.header('Retry-After', String(typeof retryAfter === 'number' ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS));
  }
  void reply.code(status).send(body);
}

const logger = new Logger('Errors');

/**
 * The one rendering of an error as an answer, for the filter and for the answers Node writes on the
 * socket before a request exists (client-errors.ts). 500s are logged with the request id and never
 * expose internals to the caller.
 */
export function errorAnswerFor(exception: unknown, requestId: string): ErrorAnswer {
  const domainAnswer = exception instanceof DomainError ? domainErrorAnswer(exception) : undefined;
  if (domainAnswer) return domainAnswer;
  if (exception instanceof ApiError) {
    return {
      status: exception.getStatus(),
      body: { error: exception.code, message: exception.message, details: exception.details },
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: fromHttpException(exception, status), headers: {} };
  }
  const databaseLimit = databaseLimitHit(exception);
  if (databaseLimit) {
    logger.warn(`database limit ${databaseLimit} hit for request ${requestId}`);
    return databaseLimitAnswer(databaseLimit);
  }
  const statusFromHttpError = httpErrorStatus(exception);
  if (statusFromHttpError) {
    return {
      status: statusFromHttpError,
      body: { error: CODES[statusFromHttpError] ?? 'bad_request', message: (exception as Error).message, details: {} },
      headers: {},
    };
  }
  logger.error(`unhandled error for request ${requestId}`, exception instanceof Error ? exception.stack : String(exception));
  return {
    status: 500,
    body: {
      error: 'internal_error',
      message: 'An unexpected error occurred. Contact support with the X-Request-Id of this response.',
      details: { request_id: requestId },
    },
    headers: {},
  };
}

function fromHttpException(exception: HttpException, status: number): ErrorBody {
  const response = exception.getResponse();
  const code = CODES[status] ?? (status >= 500 ? 'server_error' : 'client_error');
  if (typeof response === 'string') return { error: code, message: response, details: {} };
  const { message, statusCode: _status, ...rest } = response as Record<string, unknown>;
  // Nest's own `error` is just the status name; terminus's `error` is the map of failed checks: keep that one.
  if (typeof rest.error === 'string') delete rest.error;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
  // Terminus puts its per-indicator report in the body; it becomes `details` here.
  return { error: code, message: text, details: rest };
}

/** Postgres SQLSTATE query_canceled: the api's statement_timeout (API_QUERY_TIMEOUT_MS) cut a query. */
const QUERY_CANCELED = '57014';
/** pg-pool's errors carry no code: no pooled connection came free, or none could be opened, in time. */
const POOL_TIMEOUTS = ['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout'];

/** The api's database limit an error comes from, if any: the query's time, or the wait for a connection. */
function databaseLimitHit(exception: unknown): 'API_QUERY_TIMEOUT_MS' | 'DATABASE_POOL_SIZE' | undefined {
  const error = exception as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  if (error?.code === QUERY_CANCELED || error?.cause?.code === QUERY_CANCELED) return 'API_QUERY_TIMEOUT_MS';
  if (typeof error?.message === 'string' && POOL_TIMEOUTS.includes(error.message)) return 'DATABASE_POOL_SIZE';
  return undefined;
}

/** Load or too wide a question, not a bug: 503, retry later (or narrow the query). */
function databaseLimitAnswer(limit: string): ErrorAnswer {
  const message =
    limit === 'API_QUERY_TIMEOUT_MS'
      ? 'The query took longer than the service allows. Retry later, or narrow it (a shorter range, more filters).'
      : 'No database connection became free in time (all busy with other queries). Retry later.';
  const body = { error: 'service_unavailable', message, details: { retry_after: DEFAULT_RETRY_AFTER_SECONDS, limit } };
  return { status: 503, body, headers: { 'Retry-After': String(DEFAULT_RETRY_AFTER_SECONDS) } };
}

/**
 * Errors raised by Fastify (`statusCode`) or http-errors (`status`) with a 4xx are the caller's fault,
 * not a 500 (the Fastify adapter maps most of them to HttpException before they get here).
 */
function httpErrorStatus(exception: unknown): number | undefined {
  const error = exception as { status?: unknown; statusCode?: unknown } | null;
  const status = error?.statusCode ?? error?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
