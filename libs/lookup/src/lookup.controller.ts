import { Controller, Get, Param } from '@nestjs/common';
import { LookupService } from './lookup.service.js';

/** GET /v1/requests/:requestId: the support lookup by X-Request-Id. */
@Controller('v1/requests')
export class LookupController {
  constructor(private readonly lookups: LookupService) {}

  @Get(':requestId')
  get(@Param('requestId') requestId: string) {
    return this.lookups.lookup(requestId);
  }
}
