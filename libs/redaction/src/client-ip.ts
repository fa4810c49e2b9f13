import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';

export type ClientIpMode = 'full' | 'truncate' | 'hash';

/**
 * The client IP as stored. `truncate` keeps the network (/24 for IPv4, /48 for IPv6), `hash` a keyed
 * HMAC-SHA256 (stable per key, so one client's requests still group, but not reversible by
 * enumerating the IPv4 space without the key). In those modes, a value that is not an IP is dropped.
 */
export function storedClientIp(ip: string | null, mode: ClientIpMode, hashKey?: string): string | null {
  if (ip === null || mode === 'full') return ip;
  if (mode === 'hash')
    return `hmac:${createHmac('sha256', hashKey ?? '')
      .update(ip)
      .digest('hex')
      .slice(0, 32)}`;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const version = isIP(address);
  if (version === 4) return `${address.split('.').slice(0, 3).join('.')}.0`;
  if (version === 6) return `${expandIpv6(address).slice(0, 3).join(':')}::`;
  return null;
}

/** The eight hextets of an IPv6 address, `::` expanded (zone ids dropped). */
function expandIpv6(address: string): string[] {
  const [head, tail] = address.split('%')[0].split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros: string[] = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((h) => (parseInt(h, 16) || 0).toString(16));
}
