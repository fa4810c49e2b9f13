import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { METRICS_CONFIG, type MetricsConfig } from './metrics.config.js';
import { type AppRegistry, METRICS_REGISTRY, MetricSources, createRegistry } from './metrics-registry.js';
import { MetricsRenderer } from './metrics-renderer.js';
import { MetricsController } from './metrics.controller.js';

/**
 * GET /metrics and the app's registry. Each app instance gets its own registry (several apps share one
 * process in the tests), so nothing goes through prom-client's global registry. The metric sets live
 * beside their components (IngestMetrics in libs/ingest, LogMetrics in libs/log-writer, QueueDepthMetrics
 * in libs/queue…), which register into METRICS_REGISTRY / MetricSources from their own modules.
 */
@Module({})
export class MetricsModule {
  static register(app: 'api' | 'worker'): DynamicModule {
    const providers: Provider[] = [
      { provide: METRICS_REGISTRY, useFactory: () => createRegistry() },
      { provide: MetricSources, useFactory: () => new MetricSources() },
      {
        provide: MetricsRenderer,
        inject: [METRICS_REGISTRY, MetricSources, METRICS_CONFIG.token],
        useFactory: (registry: AppRegistry, sources: MetricSources, config: MetricsConfig) =>
          new MetricsRenderer({ app, registry, sources, cacheMs: config.renderCacheMs }),
      },
    ];
    return { module: MetricsModule, global: true, controllers: [MetricsController], providers, exports: [METRICS_REGISTRY, MetricSources] };
  }
}
