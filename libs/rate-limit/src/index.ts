export { RateLimitModule } from './rate-limit.module.js';
export { RateLimiter } from './rate-limiter.js';
export type { RateLimitBucket, RateDecision } from './rate-limiter.js';
export { RATE_LIMIT_CONFIG } from './rate-limit.config.js';
