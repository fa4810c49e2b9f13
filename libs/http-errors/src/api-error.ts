import { HttpException } from '@nestjs/common';

/** An error answer in the Verilock shape `{error, message, details}`, with optional extra headers. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super({ error: code, message, details }, status);
  }
}

/** 422 with per-field messages, exactly as the conventions' validation_error example. */
export function validationError(details: Record<string, string[]>, message = 'The given data was invalid.'): ApiError {
  return new ApiError(422, 'validation_error', message, details);
}

/** 503 with Retry-After, for a dependency that is away; `retry_after` mirrors the header in the body. */
export function serviceUnavailable(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(503, 'service_unavailable', message, { retry_after: retryAfterSeconds }, {
    'Retry-After': String(retryAfterSeconds),
  });
}

/** 429 `rate_limit_exceeded` as in the conventions, with Retry-After; `details` adds what was limited. */
export function rateLimitExceeded(
  retryAfterSeconds: number,
  details: Record<string, unknown>,
  message = `Too many requests. Please retry after ${retryAfterSeconds} seconds.`,
): ApiError {
  return new ApiError(429, 'rate_limit_exceeded', message, { retry_after: retryAfterSeconds, ...details }, {
    'Retry-After': String(retryAfterSeconds),
  });
}

