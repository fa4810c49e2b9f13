import { clientKeyOf } from './client-address.js';

describe('clientKeyOf', () => {
  it('keeps IPv4 addresses, including IPv4-mapped IPv6 ones', () => {
    expect(clientKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 client by its /64, however the address is written', () => {
    const net = '2001:db8:0:1::/64';
    expect(clientKeyOf('2001:db8:0:1::1')).toBe(net);
    expect(clientKeyOf('2001:0db8:0000:0001:ffff:1:2:3')).toBe(net);
    expect(clientKeyOf('2001:DB8:0:1:0:0:0:9')).toBe(net);
    expect(clientKeyOf('2001:db8:0:2::1')).not.toBe(net);
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('puts anything else under one key rather than trusting it', () => {
    expect(clientKeyOf(undefined)).toBe('unknown');
    expect(clientKeyOf('not-an-ip')).toBe('unknown');
  });
});
