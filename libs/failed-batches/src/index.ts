export { FailedBatchesModule } from './failed-batches.module.js';
export { FailedBatches } from './failed-batches.service.js';
export type { FailedBatchSummary, FailedBatchDetail } from './failed-batches.service.js';
export { DeadLetters, deadLetterId } from './dead-letters.service.js';
export { CONFLICTING_DUPLICATE, DeadLetterRepository } from './dead-letter.repository.js';
export type { DeadLetterEntry } from './dead-letter.repository.js';
