/**
 * Failures in the domain's words, for services that must not know about HTTP (the CLI, the shipper and
 * tests call them too). Each carries a stable machine `code` (the `error` a client reads), a message for
 * people and `details` (snake_case or field names, as the client sees them). No status codes here: the
 * HTTP edge (libs/http-errors' AllExceptionsFilter) maps each class to its status and headers.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that was read but breaks the rules: `details` maps each bad field to its messages (all at once). */
export class InvalidInput extends DomainError {
  readonly code = 'validation_error';

  constructor(details: Record<string, unknown>, message = 'The given data was invalid.') {
    super(message, details);
  }
}

/** Input that cannot be read at all (not JSON, not UTF-8, not decompressible, cut off). */
export class MalformedInput extends DomainError {
  readonly code = 'bad_request';
}

/** Input in a format (media type, content encoding) this service does not read; `details.supported` lists those it does. */
export class UnsupportedFormat extends DomainError {
  readonly code = 'unsupported_media_type';
}

/** Nothing is stored under the identifier asked for. */
export class NotFound extends DomainError {
  readonly code = 'not_found';
}

/** Input larger than a limit allows (too many bytes, too many records); `details` names the limit. */
export class LimitExceeded extends DomainError {
  readonly code = 'payload_too_large';
}

/** A failure that retrying later may fix; `retry_after` leads `details`, the other details follow. */
abstract class RetryLater extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details: Record<string, unknown> = {},
  ) {
    super(message, { retry_after: retryAfterSeconds, ...details });
  }
}

/** A dependency (Redis, Postgres) is away or a backlog is full: nothing was done, retry after a while. */
export class Unavailable extends RetryLater {
  readonly code = 'service_unavailable';
}

/** The caller spent its budget (requests, failed authentications); `details` names the limit and bucket. */
export class RateLimited extends RetryLater {
  readonly code = 'rate_limit_exceeded';

  constructor(
    retryAfterSeconds: number,
    details: Record<string, unknown>,
    message = `Too many requests. Please retry after ${retryAfterSeconds} seconds.`,
  ) {
    super(message, retryAfterSeconds, details);
  }
}
