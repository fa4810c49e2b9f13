export { LogWriterModule } from './log-writer.module.js';
export { LogWriterProcessor } from './log-writer.processor.js';
export { WORKER_CONFIG } from './worker.config.js';
export { REQUEST_METRICS_CONFIG } from './request-metrics.config.js';
