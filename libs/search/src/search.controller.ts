import { Controller, Get, Header, Query } from '@nestjs/common';
import { ErrorRatesService } from './error-rates/error-rates.service.js';
import { RequestSearchService } from './requests/request-search.service.js';
import { SpikesService } from './spikes/spikes.service.js';

/** The search API: request search (raw rows), error rates and spikes (per-minute rollups). */
@Controller('v1')
export class SearchController {
  constructor(
    private readonly search: RequestSearchService,
    private readonly errorRates: ErrorRatesService,
    private readonly spikes: SpikesService,
  ) {}

  @Get('requests')
  requests(@Query() query: Record<string, unknown>) {
    return this.search.search(query);
  }

  // The service answers the JSON's bytes (one Buffer, Postgres wrote most of the text): sent as they are.
  @Get('error-rates')
  @Header('Content-Type', 'application/json; charset=utf-8')
  rates(@Query() query: Record<string, unknown>) {
    return this.errorRates.errorRates(query);
  }

  @Get('spikes')
  detectSpikes(@Query() query: Record<string, unknown>) {
    return this.spikes.spikes(query);
  }
}
