import { Registry, type RegistryContentType, collectDefaultMetrics } from 'prom-client';

/** Injection token of the app's own registry: one per app instance, never prom-client's global one. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** The registry type of this service: OpenMetrics-capable (see createRegistry). */
export type AppRegistry = Registry<RegistryContentType>;

/**
 * A fresh registry with the Node.js process metrics (CPU, memory, event loop, GC) of this process.
 * It is an OpenMetrics registry because prom-client only allows exemplars on those.
 */
export function createRegistry(app: 'api' | 'worker'): AppRegistry {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  // Gauges that prom-client names `_total`, against the conventions (promtool check metrics says so);
  // nodejs_active_handles / _requests / _resources carry the same information under lint-clean names.
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  return registry;
}

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * Renders the registry in the format the scraper asked for. OpenMetrics carries the exemplars (request
 * ids on the latency histogram); the classic text format is what `promtool check metrics` and older
 * scrapers read. prom-client renders OpenMetrics by renaming counters in place (dropping `_total`)
 * and the content type is registry-wide, so renders are serialised and the names restored after each.
 */
export class MetricsRenderer {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly registry: AppRegistry) {}

  render(acceptHeader: string | undefined): Promise<RenderedMetrics> {
    const openMetrics = /application\/openmetrics-text/i.test(acceptHeader ?? '');
    const next = this.queue.then(() => this.renderAs(openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async renderAs(contentType: RegistryContentType): Promise<RenderedMetrics> {
    this.registry.setContentType(contentType);
    try {
      return { contentType, body: await this.registry.metrics() };
    } finally {
      this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      for (const metric of this.registry.getMetricsAsArray() as unknown as { type: string; name: string }[]) {
        if (metric.type === 'counter' && !metric.name.endsWith('_total')) metric.name = `${metric.name}_total`;
      }
    }
  }
}
