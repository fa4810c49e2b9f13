export { FailedBatchesModule } from './failed-batches.module.js';
export { FailedBatches } from './failed-batches.service.js';
export type { FailedBatchSummary, FailedBatchDetail } from './failed-batches.service.js';
