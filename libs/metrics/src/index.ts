export { MetricsModule } from './metrics.module.js';
export { IngestMetrics } from './ingest-metrics.js';
export { LogMetrics } from './log-metrics.js';
export { METRICS_REGISTRY } from './metrics-registry.js';
export { METRICS_CONFIG } from './metrics.config.js';
