export { loadConfig, ConfigError, QUEUE_DEFAULTS } from './app-config.js';
export type { AppConfig } from './app-config.js';
export { ConfigModule, APP_CONFIG } from './config.module.js';
