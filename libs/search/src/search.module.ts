import { Module } from '@nestjs/common';
import { RollupsModule } from '#libs/rollups';
import { ErrorRatesService } from './error-rates/error-rates.service.js';
import { RequestSearchRepository } from './requests/request-search.repository.js';
import { RequestSearchService } from './requests/request-search.service.js';
import { SearchController } from './search.controller.js';
import { EarlyRetryRepository } from './spikes/early-retry.repository.js';
import { SpikesService } from './spikes/spikes.service.js';

/** GET /v1/requests, /v1/error-rates, /v1/spikes. */
@Module({
  imports: [RollupsModule],
  controllers: [SearchController],
  providers: [RequestSearchRepository, RequestSearchService, ErrorRatesService, EarlyRetryRepository, SpikesService],
  exports: [RequestSearchService, ErrorRatesService, SpikesService],
})
export class SearchModule {}
