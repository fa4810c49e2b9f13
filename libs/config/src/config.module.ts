import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AnyConfigSlice, ComposedConfig } from './config-slice.js';

@Global()
@Module({})
export class ConfigModule {
  /**
   * Provides each slice's object, validated by loadConfig() at start-up, under the slice's own token
   * to the whole app: a lib injects only its slice (`@Inject(INGEST_CONFIG.token)`).
   */
  static forRoot<const Slices extends readonly AnyConfigSlice[]>(slices: Slices, config: ComposedConfig<Slices>): DynamicModule {
    const values = config as Record<string, unknown>;
    const providers = [...new Set(slices)].map((slice) => ({ provide: slice.token, useValue: values[slice.key] }));
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
