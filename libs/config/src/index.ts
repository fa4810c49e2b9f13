export { defineConfigSlice } from './config-slice.js';
export type { ComposedConfig, SliceValue } from './config-slice.js';
export { loadConfig, configVariables, ConfigError } from './load-config.js';
export { ConfigModule } from './config.module.js';
export { bool, csv, nonNegativeInt, port, positiveInt } from './env-schemas.js';
