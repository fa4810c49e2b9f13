export const REDACTED = '[REDACTED]';

/** `X-Api-Key`, `api_key` and `apiKey` all become `apikey`: one spelling to compare. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * Whether a field name names a secret: it is a denied name, or ends with one (`clientSecret`,
 * `refresh_token`, `x-api-key`). Over-redacting a harmless field is the cheaper mistake.
 */
export function isSecretName(name: string, denied: ReadonlySet<string>): boolean {
  const normalised = normaliseName(name);
  if (denied.has(normalised)) return true;
  for (const d of denied) if (normalised.endsWith(d)) return true;
  return false;
}
