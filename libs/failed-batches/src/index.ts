export { FailedBatchesModule } from './failed-batches.module.js';
export { FailedBatches } from './failed-batches.service.js';
export { DeadLetters, deadLetterId } from './dead-letters.service.js';
export { DeadLetterRepository } from './dead-letter.repository.js';
