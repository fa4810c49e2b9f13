export { MetricsModule } from './metrics.module.js';
export { METRICS_REGISTRY, MetricSources, createRegistry } from './metrics-registry.js';
export type { AppRegistry, FamilySource } from './metrics-registry.js';
export { MetricsRenderer } from './metrics-renderer.js';
export type { Family, Labels } from './exposition.js';
export { BatchHistogram, HistogramCell } from './batch-histogram.js';
export { OTHER, RankedLabel } from './ranked-label.js';
export { SeriesBudget, SeriesTable } from './series-budget.js';
export { METRICS_CONFIG } from './metrics.config.js';
