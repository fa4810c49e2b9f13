import { type Random, randomId } from './random.js';

/** An error body as the conventions define it: machine-readable code, human message, optional details. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

/** One way an endpoint answers, with its relative weight among that endpoint's outcomes. */
export interface Outcome {
  status: number;
  weight: number;
  body?: ErrorBody;
}

/** An endpoint of the Verilock API (sessions, API keys, webhook endpoints) and how it usually answers. */
export interface Endpoint {
  method: string;
  route: string;
  /** Relative share of all traffic. */
  weight: number;
  /** Typical duration in ms (median); actual durations are spread around it. */
  typicalMs: number;
  outcomes: Outcome[];
  path(random: Random): string;
}

const validation = (details: Record<string, string[]>): ErrorBody => ({
  error: 'validation_error',
  message: 'The given data was invalid.',
  details,
});
const notFound = (what: string): ErrorBody => ({ error: 'not_found', message: `${what} not found.` });
const badJson: ErrorBody = { error: 'bad_request', message: 'The request body contains invalid JSON.' };
const conflict: ErrorBody = {
  error: 'conflict',
  message: 'Session already declined.',
  details: { status: 'declined' },
};
const forbidden: ErrorBody = {
  error: 'forbidden',
  message: 'This API key does not have permission to perform this action.',
  details: { required_scope: 'api_keys:write' },
};

const session = (r: Random) => randomId(r, 'ses');

/** The Verilock API's world, as the conventions document describes it. */
export const ENDPOINTS: Endpoint[] = [
  {
    method: 'POST',
    route: '/v1/sessions',
    weight: 22,
    typicalMs: 85,
    path: () => '/v1/sessions',
    outcomes: [
      { status: 201, weight: 90 },
      {
        status: 422,
        weight: 7,
        body: validation({
          redirect_url: ['The redirect url must be a valid URL.'],
          document_type: ['The selected document type is invalid.'],
        }),
      },
      { status: 400, weight: 3, body: badJson },
    ],
  },
  {
    method: 'GET',
    route: '/v1/sessions/:id',
    weight: 30,
    typicalMs: 25,
    path: (r) => `/v1/sessions/${session(r)}?expand=steps`,
    outcomes: [
      { status: 200, weight: 95 },
      { status: 404, weight: 5, body: notFound('Session') },
    ],
  },
  {
    method: 'GET',
    route: '/v1/sessions',
    weight: 10,
    typicalMs: 60,
    path: () => '/v1/sessions?limit=20',
    outcomes: [{ status: 200, weight: 1 }],
  },
  {
    method: 'POST',
    route: '/v1/sessions/:id/approve',
    weight: 8,
    typicalMs: 40,
    path: (r) => `/v1/sessions/${session(r)}/approve`,
    outcomes: [
      { status: 200, weight: 90 },
      { status: 409, weight: 8, body: conflict },
      { status: 404, weight: 2, body: notFound('Session') },
    ],
  },
  {
    method: 'POST',
    route: '/v1/sessions/:id/decline',
    weight: 4,
    typicalMs: 40,
    path: (r) => `/v1/sessions/${session(r)}/decline`,
    outcomes: [
      { status: 200, weight: 92 },
      { status: 409, weight: 8, body: { ...conflict, message: 'Session already approved.', details: { status: 'approved' } } },
    ],
  },
  { method: 'GET', route: '/v1/api-keys', weight: 4, typicalMs: 20, path: () => '/v1/api-keys', outcomes: [{ status: 200, weight: 1 }] },
  {
    method: 'POST',
    route: '/v1/api-keys',
    weight: 2,
    typicalMs: 50,
    path: () => '/v1/api-keys',
    outcomes: [
      { status: 201, weight: 85 },
      { status: 403, weight: 10, body: forbidden },
      { status: 422, weight: 5, body: validation({ scopes: ['The selected scopes are invalid.'] }) },
    ],
  },
  {
    method: 'DELETE',
    route: '/v1/api-keys/:id',
    weight: 1,
    typicalMs: 30,
    path: (r) => `/v1/api-keys/${randomId(r, 'key_live')}`,
    outcomes: [
      { status: 204, weight: 90 },
      { status: 404, weight: 10, body: notFound('API key') },
    ],
  },
  {
    method: 'GET',
    route: '/v1/webhook-endpoints',
    weight: 6,
    typicalMs: 20,
    path: () => '/v1/webhook-endpoints',
    outcomes: [{ status: 200, weight: 1 }],
  },
  {
    method: 'POST',
    route: '/v1/webhook-endpoints',
    weight: 3,
    typicalMs: 70,
    path: () => '/v1/webhook-endpoints',
    outcomes: [
      { status: 201, weight: 88 },
      { status: 422, weight: 12, body: validation({ url: ['The url must be a valid HTTPS URL.'] }) },
    ],
  },
  {
    method: 'PATCH',
    route: '/v1/webhook-endpoints/:id',
    weight: 2,
    typicalMs: 45,
    path: (r) => `/v1/webhook-endpoints/${randomId(r, 'we')}`,
    outcomes: [
      { status: 200, weight: 80 },
      { status: 204, weight: 12 },
      { status: 404, weight: 8, body: notFound('Webhook endpoint') },
    ],
  },
  {
    method: 'DELETE',
    route: '/v1/webhook-endpoints/:id',
    weight: 2,
    typicalMs: 30,
    path: (r) => `/v1/webhook-endpoints/${randomId(r, 'we')}`,
    outcomes: [
      { status: 204, weight: 93 },
      { status: 404, weight: 7, body: notFound('Webhook endpoint') },
    ],
  },
];

export const UNAUTHORIZED: ErrorBody = { error: 'unauthorized', message: 'The API key is missing, invalid, or has been revoked.' };
export const INTERNAL_ERROR: ErrorBody = {
  error: 'internal_error',
  message: 'An unexpected error occurred. Contact support with the X-Request-Id of this response.',
};
export const SERVICE_UNAVAILABLE: ErrorBody = {
  error: 'service_unavailable',
  message: 'The API is temporarily unavailable due to maintenance or high load.',
};

/** The conventions' own 429 example, for `retryAfter` seconds. */
export function rateLimited(retryAfter: number): ErrorBody {
  return {
    error: 'rate_limit_exceeded',
    message: `Too many requests. Please retry after ${retryAfter} seconds.`,
    details: { retry_after: retryAfter },
  };
}

/** Picks an item by weight. */
export function weighted<T extends { weight: number }>(random: Random, items: readonly T[]): T {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  let x = random() * total;
  for (const item of items) if ((x -= item.weight) < 0) return item;
  return items[items.length - 1];
}
