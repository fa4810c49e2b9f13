import { type ArgumentsHost, ConsoleLogger, Logger } from '@nestjs/common';
import {
  DomainError,
  InvalidInput,
  LimitExceeded,
  MalformedInput,
  NotFound,
  RateLimited,
  Unavailable,
  UnsupportedFormat,
} from '#libs/errors';
import { AllExceptionsFilter } from './all-exceptions.filter.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The body Fastify would serialise. */
  body: string;
}

/** Runs the global filter on `error` for a request whose X-Request-Id is `req-1`, as Fastify would hand it over. */
function answerTo(error: unknown): Answer {
  const answer: Answer = { status: 0, headers: {}, body: '' };
  const reply = {
    sent: false,
    raw: { headersSent: false },
    header: (name: string, value: string) => ((answer.headers[name] = value), reply),
    getHeader: (name: string) => answer.headers[name],
    code: (status: number) => ((answer.status = status), reply),
    send: (body: unknown) => ((answer.body = JSON.stringify(body)), reply),
  };
  const req = { requestId: 'req-1', headers: {} };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(error, host);
  return answer;
}

// Each domain error as its throw site makes it, and the answer the API gave before services spoke the domain.
const CASES: Array<[string, DomainError, number, string, Record<string, string>]> = [
  [
    'InvalidInput',
    new InvalidInput({ status: ['must be HTTP status codes from 100 to 599 (got 9)'], limit: ['is not a known parameter'] }),
    422,
    '{"error":"validation_error","message":"The given data was invalid.",' +
      '"details":{"status":["must be HTTP status codes from 100 to 599 (got 9)"],"limit":["is not a known parameter"]}}',
    {},
  ],
  [
    'InvalidInput with its own message',
    new InvalidInput({ 'records[0].status': ['is required'], rejected_count: 1 }, 'No record in the batch is valid.'),
    422,
    '{"error":"validation_error","message":"No record in the batch is valid.",' +
      '"details":{"records[0].status":["is required"],"rejected_count":1}}',
    {},
  ],
  [
    'MalformedInput',
    new MalformedInput('The request body is not valid UTF-8.'),
    400,
    '{"error":"bad_request","message":"The request body is not valid UTF-8.","details":{}}',
    {},
  ],
  [
    'NotFound',
    new NotFound('No failed batch with id "7".', { id: '7' }),
    404,
    '{"error":"not_found","message":"No failed batch with id \\"7\\".","details":{"id":"7"}}',
    {},
  ],
  [
    'LimitExceeded',
    new LimitExceeded('The request body exceeds the limit of 1024 bytes.', { max_bytes: 1024 }),
    413,
    '{"error":"payload_too_large","message":"The request body exceeds the limit of 1024 bytes.","details":{"max_bytes":1024}}',
    {},
  ],
  [
    'UnsupportedFormat',
    new UnsupportedFormat('Content-Type "text/csv" is not supported.', { supported: ['application/json', 'application/x-ndjson'] }),
    415,
    '{"error":"unsupported_media_type","message":"Content-Type \\"text/csv\\" is not supported.",' +
      '"details":{"supported":["application/json","application/x-ndjson"]}}',
    {},
  ],
  [
    'RateLimited',
    new RateLimited(30, { limit: 100, bucket: 'query' }),
    429,
    '{"error":"rate_limit_exceeded","message":"Too many requests. Please retry after 30 seconds.",' +
      '"details":{"retry_after":30,"limit":100,"bucket":"query"}}',
    { 'Retry-After': '30' },
  ],
  [
    'RateLimited with its own message',
    new RateLimited(
      12,
      { limit: 20, bucket: 'auth_failures' },
      'Too many failed authentications from this client. Please retry after 12 seconds.',
    ),
    429,
    '{"error":"rate_limit_exceeded","message":"Too many failed authentications from this client. Please retry after 12 seconds.",' +
      '"details":{"retry_after":12,"limit":20,"bucket":"auth_failures"}}',
    { 'Retry-After': '12' },
  ],
  [
    'Unavailable',
    new Unavailable('The ingest backlog is full (9 batches pending); nothing from this batch was accepted. Retry later.', 2, {
      reason: 'max_backlog',
      pending_batches: 9,
      max_backlog: 9,
    }),
    503,
    '{"error":"service_unavailable",' +
      '"message":"The ingest backlog is full (9 batches pending); nothing from this batch was accepted. Retry later.",' +
      '"details":{"retry_after":2,"reason":"max_backlog","pending_batches":9,"max_backlog":9}}',
    { 'Retry-After': '2' },
  ],
  [
    'Unavailable without details',
    new Unavailable('API keys cannot be verified right now. Retry later.', 5),
    503,
    '{"error":"service_unavailable","message":"API keys cannot be verified right now. Retry later.","details":{"retry_after":5}}',
    { 'Retry-After': '5' },
  ],
];

describe('AllExceptionsFilter maps domain errors to HTTP', () => {
  it.each(CASES)('%s', (_name, error, status, body, headers) => {
    expect(answerTo(error)).toEqual({ status, body, headers: { 'X-Request-Id': 'req-1', ...headers } });
  });

  it('keeps a prototype-less details map (parameters named like Object.prototype members) as ordinary keys', () => {
    const details: Record<string, string[]> = Object.create(null);
    details.__proto__ = ['is not a known parameter'];
    expect(answerTo(new InvalidInput(details)).body).toBe(
      '{"error":"validation_error","message":"The given data was invalid.","details":{"__proto__":["is not a known parameter"]}}',
    );
  });

  it('answers a domain error it has no status for as the bug it is: 500, nothing of it leaked', () => {
    class Unmapped extends DomainError {
      readonly code = 'unmapped_code';
    }
    const logged: unknown[] = [];
    Logger.overrideLogger({ log: () => undefined, warn: () => undefined, error: (message: unknown) => void logged.push(message) });
    let answer: Answer;
    try {
      answer = answerTo(new Unmapped('internal detail', { secret: 1 }));
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'internal_error',
      message: 'An unexpected error occurred. Contact support with the X-Request-Id of this response.',
      details: { request_id: 'req-1' },
    });
    expect(logged).toEqual(['unhandled error for request req-1']);
  });
});
