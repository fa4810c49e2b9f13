import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequireScope } from '#libs/auth';
import { InvalidInput, NotFound } from '#libs/errors';
import { DEAD_LETTER_LIST_MAX, DeadLetters, deadLetterId } from './dead-letters.service.js';

/** Inspect, retry, delete and purge the dead letter (records the worker could not store). Admin keys only. */
@Controller('v1/admin/dead-letters')
@RequireScope('admin')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  list(@Query('limit') limit?: string) {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > DEAD_LETTER_LIST_MAX)
      throw new InvalidInput({ limit: [`must be a whole number from 1 to ${DEAD_LETTER_LIST_MAX}`] });
    return this.deadLetters.list(n);
  }

  @Post('purge')
  @HttpCode(200)
  async purge() {
    return { purged: await this.deadLetters.purge() };
  }

  @Get(':id')
  async show(@Param('id') id: string) {
    const record = await this.deadLetters.show(validId(id));
    if (!record) throw notFound(id);
    return record;
  }

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string) {
    if (!(await this.deadLetters.retry(validId(id)))) throw notFound(id);
    return { retried: 1, id };
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string) {
    if (!(await this.deadLetters.delete(validId(id)))) throw notFound(id);
  }
}

function validId(id: string): string {
  const valid = deadLetterId(id);
  if (!valid) throw new InvalidInput({ id: ['must be a dead-letter id: a whole number from 1'] });
  return valid;
}

function notFound(id: string): NotFound {
  return new NotFound(`No dead-lettered record with id "${id}".`, { id });
}
