/** A status code as the Verilock error conventions document explains it to support staff. */
export interface StatusMeaning {
  code: number;
  name: string;
  description: string;
  documented: boolean;
}

/** The status codes the conventions document lists, with its own words. */
const DOCUMENTED: Record<number, [string, string]> = {
  200: ['OK', 'The request succeeded. The response body contains the requested data.'],
  201: ['Created', 'A new resource was successfully created. Returned when creating sessions, API keys, or webhook endpoints.'],
  204: ['No Content', 'The request succeeded but there is no response body. Returned for DELETE operations and some updates.'],
  400: ['Bad Request', 'The request body is malformed, missing required fields, or contains invalid JSON.'],
  401: ['Unauthorized', 'The API key is missing, invalid, or has been revoked. Check your X-API-Key header.'],
  403: ['Forbidden', 'The API key is valid but does not have permission to perform this action. Check your plan or key scopes.'],
  404: ['Not Found', 'The requested resource does not exist. Verify the endpoint URL and resource ID.'],
  409: [
    'Conflict',
    'The request conflicts with the current state of the resource. For example, trying to approve an already-declined session.',
  ],
  422: [
    'Unprocessable Entity',
    'The request is well-formed but contains semantic errors. Field validation failures are returned in the details object.',
  ],
  429: ['Too Many Requests', 'You have exceeded the rate limit. Wait for the time specified in the Retry-After header before retrying.'],
  500: [
    'Internal Server Error',
    'An unexpected error occurred on our end. If this persists, contact support with the request ID from the response headers.',
  ],
  503: ['Service Unavailable', 'The API is temporarily unavailable due to maintenance or high load. Retry with exponential backoff.'],
};

const CLASS_MEANING: Record<number, [string, string]> = {
  1: ['Informational', 'An informational response; the Verilock API does not document codes in this range.'],
  2: ['Success', 'A success code the Verilock conventions do not list individually (2xx means success).'],
  3: ['Redirection', 'A redirection; the Verilock API does not document codes in this range.'],
  4: ['Client Error', 'A client error the Verilock conventions do not list individually (4xx means the request was at fault).'],
  5: ['Server Error', 'A server error the Verilock conventions do not list individually (5xx means the API was at fault).'],
};

/** The documented meaning of a status code, or the meaning of its class when the document does not list it. */
export function statusMeaning(code: number): StatusMeaning {
  const documented = DOCUMENTED[code];
  if (documented) return { code, name: documented[0], description: documented[1], documented: true };
  const [name, description] = CLASS_MEANING[Math.floor(code / 100)] ?? ['Unknown', 'Not a standard HTTP status code.'];
  return { code, name, description, documented: false };
}

/** `2xx`, `4xx`, `5xx`: the bounded class label used by rollups and metrics. */
export function statusClass(code: number): string {
  return `${Math.floor(code / 100)}xx`;
}
