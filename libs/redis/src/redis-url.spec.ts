import { isRedisUrl, parseClusterUrl, queueKeyPrefix } from './redis-url.js';

describe('REDIS_URL', () => {
  it('reads the seed nodes, credentials and TLS of a cluster URL', () => {
    expect(parseClusterUrl('redis+cluster://10.0.0.1:7000,Redis-B:7001,[::1]:7002')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'Redis-B', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseClusterUrl('rediss+cluster://user:p%40ss@a:6380/')).toMatchObject({
      nodes: [{ host: 'a', port: 6380 }],
      username: 'user',
      password: 'p@ss',
      tls: true,
    });
    expect(parseClusterUrl('redis+cluster://:secret@a')).toMatchObject({
      nodes: [{ host: 'a', port: 6379 }],
      username: undefined,
      password: 'secret',
    });
  });

  it('refuses what is not a list of host:port, or names a database', () => {
    for (const url of [
      'redis+cluster://',
      'redis+cluster://a:1,,b:2',
      'redis+cluster://a:1/0',
      'redis+cluster://a:x',
      'redis+cluster://a:1:2',
    ]) {
      expect(isRedisUrl(url)).toBe(false);
    }
    expect(isRedisUrl('redis://127.0.0.1:6379/2')).toBe(true);
    expect(isRedisUrl('not a url')).toBe(false);
  });

  it('makes the prefix a hash tag on a cluster only, once', () => {
    expect(queueKeyPrefix('redis://a:6379', 'verilock')).toBe('verilock');
    expect(queueKeyPrefix('redis+cluster://a:6379', 'verilock')).toBe('{verilock}');
    expect(queueKeyPrefix('redis+cluster://a:6379', '{verilock}')).toBe('{verilock}');
  });
});
