import {
  type DomainError,
  InvalidInput,
  LimitExceeded,
  MalformedInput,
  NotFound,
  RateLimited,
  Unavailable,
  UnsupportedFormat,
} from '#libs/errors';

export interface ErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown>;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

/** The HTTP status of each domain error (docs/api.md has this table for people). */
const STATUS_OF: ReadonlyArray<[DomainErrorClass, number]> = [
  [MalformedInput, 400],
  [NotFound, 404],
  [LimitExceeded, 413],
  [UnsupportedFormat, 415],
  [InvalidInput, 422],
  [RateLimited, 429],
  [Unavailable, 503],
];

/**
 * A domain error as the Verilock API answers it: the status its class maps to, the error's own code,
 * message and details as the body, and Retry-After for the errors a later retry may fix. A domain error
 * this table does not know is a bug, answered as one (500).
 */
export function domainErrorAnswer(error: DomainError): ErrorAnswer | undefined {
  const status = STATUS_OF.find(([kind]) => error instanceof kind)?.[1];
  if (status === undefined) return undefined;
  const headers: Record<string, string> =
    error instanceof RateLimited || error instanceof Unavailable ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
  return { status, body: { error: error.code, message: error.message, details: error.details }, headers };
}
