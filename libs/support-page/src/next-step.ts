/**
 * What the Verilock API's client should do next, per status, from the error conventions (the page's
 * and the CLI's "next step"). `{retryAfter}` is replaced by the response's Retry-After when it had one.
 */
export const NEXT_STEPS: Record<string, string> = {
  '2xx': 'Nothing to do: the request succeeded.',
  '3xx': 'Follow the redirect.',
  '400': 'Fix the request body (malformed, missing required fields or invalid JSON), then send it again.',
  '401': 'Check the X-API-Key header: the key is missing, invalid or revoked. Retrying with the same key will fail again.',
  '403': "Use a key with the needed scope (or plan): the key is valid but may not do this. Don't retry unchanged.",
  '404': 'Verify the endpoint URL and the resource id.',
  '409': "Re-read the resource's current state before deciding what to do: the request conflicts with it. Don't retry blindly.",
  '422': 'Fix the fields named in details, then send the request again.',
  '429': 'Wait {retryAfter} before retrying (the Retry-After header); spread requests out.',
  '4xx': 'Correct the request before sending it again: retrying it unchanged will fail the same way.',
  '500': 'Retry later; if it persists, contact support with this X-Request-Id.',
  '503': 'Retry with exponential backoff, waiting at least {retryAfter} first.',
  '5xx': 'Retry with exponential backoff; if it persists, contact support with this X-Request-Id.',
};

export function nextStep(status: number, retryAfter: number | null): string {
  const text = NEXT_STEPS[String(status)] ?? NEXT_STEPS[`${String(status).charAt(0)}xx`] ?? '';
  return text.replace('{retryAfter}', retryAfter === null ? 'the Retry-After seconds' : `${retryAfter} s`);
}
