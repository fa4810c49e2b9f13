import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config.js';

/** Injection token for the validated configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Validates `env` now (fail fast at start-up) and provides the typed result app-wide. */
  static forRoot(env: Record<string, string | undefined> = process.env, overrides?: (c: AppConfig) => AppConfig): DynamicModule {
    const loaded = loadConfig(env);
    const config = overrides ? overrides(loaded) : loaded;
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
