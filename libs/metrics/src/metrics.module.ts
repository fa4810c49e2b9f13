import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { IngestMetrics } from './ingest-metrics.js';
import { LogMetrics } from './log-metrics.js';
import { METRICS_CONFIG, type MetricsConfig } from './metrics.config.js';
import { type AppRegistry, METRICS_REGISTRY, MetricSources, createRegistry } from './metrics-registry.js';
import { MetricsRenderer } from './metrics-renderer.js';
import { MetricsController } from './metrics.controller.js';
import { QueueDepthMetrics } from './queue-depth.js';

/** The metric sets each app owns, besides the queue depth and process metrics both serve. */
const APP_METRICS = { api: [IngestMetrics], worker: [LogMetrics] } as const;

/**
 * GET /metrics and this app's metric sets. Each app instance gets its own registry (several apps
 * share one process in the tests), so nothing goes through prom-client's global registry.
 * Needs QueueModule in the app.
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
      QueueDepthMetrics,
      ...APP_METRICS[app],
    ];
    return { module: MetricsModule, global: true, controllers: [MetricsController], providers, exports: [METRICS_REGISTRY, ...APP_METRICS[app]] };
  }
}
