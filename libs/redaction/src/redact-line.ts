import { isIP } from 'node:net';
import { type ClientIpMode, storedClientIp } from './client-ip.js';
import { redactJson } from './redact-json.js';
import { redactText } from './redact-text.js';

/** Dotted quads (a port after them is not part of the match), then runs of hex digits and colons; each is checked with isIP. */
const IPV4_LIKE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6_LIKE = /[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:]*/g;

/**
 * A log line as a source sent it (a JSON value, or the text of a line that was not JSON), as text with
 * secrets masked the way a stored record's `details` and messages are, and every IP address in it
 * stored per CLIENT_IP_MODE (a source's own line carries its client address under any field name).
 */
export function redactLine(line: unknown, denied: ReadonlySet<string>, ipMode: ClientIpMode, ipHashKey?: string): string {
  const text = typeof line === 'string' ? redactText(line, denied) : (JSON.stringify(redactJson(line, denied)) ?? String(line));
  if (ipMode === 'full') return text;
  const stored = (token: string) => (isIP(token) === 0 ? token : (storedClientIp(token, ipMode, ipHashKey) ?? ''));
  return text.replace(IPV4_LIKE, stored).replace(IPV6_LIKE, stored);
}
