import { Cluster, type RedisOptions } from 'ioredis';
import { RECONNECT_MAX_DELAY_MS, redisConnection } from './redis-connection.js';

describe('redisConnection', () => {
  it.each(['producer', 'consumer'] as const)('%s: reconnects at most RECONNECT_MAX_DELAY_MS apart, however long Redis was away', (role) => {
    const { retryStrategy } = redisConnection('redis://127.0.0.1:6379', role) as RedisOptions;
    const delays = Array.from({ length: 1000 }, (_, i) => retryStrategy!(i + 1) as number);
    expect(delays.slice(0, 3)).toEqual([100, 200, 300]);
    expect(Math.max(...delays)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(RECONNECT_MAX_DELAY_MS).toBeLessThanOrEqual(500);
  });

  it('producers fail fast, consumers wait', () => {
    expect(redisConnection('redis://127.0.0.1:6379', 'producer')).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(redisConnection('redis://127.0.0.1:6379', 'consumer')).toMatchObject({ maxRetriesPerRequest: null });
  });

  it('a cluster URL gives a not yet connected Cluster client with the same rules', () => {
    const producer = redisConnection('redis+cluster://:pw@127.0.0.1:7000,127.0.0.1:7001', 'producer') as Cluster;
    const consumer = redisConnection('redis+cluster://127.0.0.1:7000', 'consumer') as Cluster;
    expect(producer).toBeInstanceOf(Cluster);
    expect(producer.status).toBe('wait');
    expect(producer.options).toMatchObject({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1, password: 'pw' } });
    expect(consumer.options).toMatchObject({ enableOfflineQueue: true, redisOptions: { maxRetriesPerRequest: null } });
    expect(producer.options.clusterRetryStrategy!(50)).toBe(RECONNECT_MAX_DELAY_MS);
  });
});
