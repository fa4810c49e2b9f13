export { redisConnection } from './redis-connection.js';
export type { ConnectionRole } from './redis-connection.js';
export { RedisMemory } from './redis-memory.js';
export { throttledWarning } from './throttled-warning.js';
export { withTimeout } from './with-timeout.js';
