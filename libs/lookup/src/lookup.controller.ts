import { Controller, Get, Param, Query } from '@nestjs/common';
import { LookupService } from './lookup.service.js';

/** GET /v1/requests/:requestId: the support lookup by X-Request-Id, and the key's requests around it. */
@Controller('v1/requests')
export class LookupController {
  constructor(private readonly lookups: LookupService) {}

  @Get(':requestId')
  get(@Param('requestId') requestId: string, @Query() query: Record<string, unknown>) {
    return this.lookups.lookup(requestId, query);
  }

  /** The same API key's requests just before and after: what the support page shows around a request. */
  @Get(':requestId/neighbors')
  neighbors(@Param('requestId') requestId: string, @Query() query: Record<string, unknown>) {
    return this.lookups.neighbors(requestId, query);
  }
}
