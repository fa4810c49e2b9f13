/** What a key may do. `admin` implies every other scope. */
export const SCOPES = ['logs:write', 'logs:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Whether a key holding `granted` may use a route that requires `required`. */
export function grants(granted: readonly string[], required: Scope): boolean {
  return granted.includes('admin') || granted.includes(required);
}

/** Parses `logs:read,logs:write`; throws naming the unknown scopes. */
export function parseScopes(text: string): Scope[] {
  const scopes = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new Error(`scopes must be a comma-separated list of ${SCOPES.join(', ')}; got "${text}"`);
  }
  return scopes as Scope[];
}
