import { isIPv4, isIPv6 } from 'node:net';

/**
 * Who failed-authentication limits count against: the client's IPv4 address, or the /64 network of
 * an IPv6 address (one host usually holds a whole /64, so counting single addresses would let it
 * rotate through 2^64 of them). `ip` is Express's req.ip, i.e. already resolved through TRUST_PROXY.
 */
export function clientKeyOf(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return 'unknown';
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without leading zeros (zone and any embedded IPv4 tail kept as is). */
function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0].toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((hextet) => hextet.replace(/^0+(?=.)/, ''));
}
