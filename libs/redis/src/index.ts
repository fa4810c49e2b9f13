export { redisClient, redisConnection } from './redis-connection.js';
export type { ConnectionRole } from './redis-connection.js';
export { memoryInfoPerMaster, RedisMemory } from './redis-memory.js';
export { queueKeyPrefix } from './redis-url.js';
export { throttledWarning } from './throttled-warning.js';
export { withTimeout } from './with-timeout.js';
export { REDIS_CONFIG } from './redis.config.js';
export type { RedisConfig } from './redis.config.js';
