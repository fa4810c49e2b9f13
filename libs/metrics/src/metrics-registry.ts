import { Registry, type RegistryContentType, collectDefaultMetrics } from 'prom-client';
import type { Family } from './exposition.js';

/** Injection token of the app's own registry: one per app instance, never prom-client's global one. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** The registry type of this service. */
export type AppRegistry = Registry<RegistryContentType>;

/**
 * A fresh registry with the Node.js process metrics (CPU, memory, event loop, GC) of this process.
 * It is only ever read through getMetricsAsJSON(): MetricsRenderer writes the exposition and adds the
 * `app` label itself.
 */
export function createRegistry(): AppRegistry {
  const registry = new Registry<RegistryContentType>();
  collectDefaultMetrics({ register: registry });
  // Gauges that prom-client names `_total`, against the conventions (promtool check metrics says so);
  // nodejs_active_handles / _requests / _resources carry the same information under lint-clean names.
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  return registry;
}

/** Metrics kept outside prom-client (the request metrics, batch histograms): anything that lists its families. */
export interface FamilySource {
  families(): Family[];
}

/** The app's FamilySources, rendered after the registry's metrics. */
export class MetricSources {
  private readonly sources: FamilySource[] = [];

  add(source: FamilySource): void {
    this.sources.push(source);
  }

  families(): Family[] {
    return this.sources.flatMap((source) => source.families());
  }
}
