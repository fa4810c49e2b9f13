import { Module } from '@nestjs/common';
import { DeadLetterRepository } from './dead-letter.repository.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLetters } from './dead-letters.service.js';
import { FailedBatchesController } from './failed-batches.controller.js';
import { FailedBatches } from './failed-batches.service.js';

/**
 * What did not make it into the store, for admins: GET /v1/admin/failed-batches (batches BullMQ gave
 * up on) and /v1/admin/dead-letters (records Postgres refused, and conflicting duplicates), with
 * retries. Needs QueueModule.register('producer') (dead-letter retries go through its job producer) and DatabaseModule in the app.
 */
@Module({
  controllers: [FailedBatchesController, DeadLettersController],
  providers: [FailedBatches, DeadLetters, DeadLetterRepository],
  exports: [FailedBatches, DeadLetters],
})
export class FailedBatchesModule {}
