import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireScope } from '#libs/auth';
import { NotFound } from '#libs/errors';
import { FailedBatches } from './failed-batches.service.js';

/** Inspect and retry the failed set. Admin keys only. */
@Controller('v1/admin/failed-batches')
@RequireScope('admin')
export class FailedBatchesController {
  constructor(private readonly failed: FailedBatches) {}

  @Get()
  list() {
    return this.failed.list();
  }

  @Post('retry-all')
  @HttpCode(202)
  async retryAll() {
    return { retried: await this.failed.retryAll() };
  }

  @Get(':id')
  async show(@Param('id') id: string) {
    const batch = await this.failed.show(id);
    if (!batch) throw notFound(id);
    return batch;
  }

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string) {
    if (!(await this.failed.retry(id))) throw notFound(id);
    return { retried: 1, id };
  }
}

function notFound(id: string): NotFound {
  return new NotFound(`No failed batch with id "${id}".`, { id });
}
