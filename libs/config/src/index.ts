export { loadConfig, ConfigError, PRODUCER_DEFAULTS, QUEUE_DEFAULTS } from './app-config.js';
export type { AppConfig } from './app-config.js';
export { ConfigModule, APP_CONFIG } from './config.module.js';
