import { Module } from '@nestjs/common';
import { FailedBatchesController } from './failed-batches.controller.js';
import { FailedBatches } from './failed-batches.service.js';

/** GET /v1/admin/failed-batches and retries. Needs QueueModule (any role) in the app. */
@Module({ controllers: [FailedBatchesController], providers: [FailedBatches], exports: [FailedBatches] })
export class FailedBatchesModule {}
