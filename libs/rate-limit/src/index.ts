export { RateLimitModule } from './rate-limit.module.js';
export { RATE_LIMIT_CONFIG } from './rate-limit.config.js';
