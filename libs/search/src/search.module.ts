import { Module } from '@nestjs/common';
import { StoreModule } from '#libs/store';
import { ErrorRatesService } from './error-rates/error-rates.service.js';
import { RequestSearchService } from './requests/request-search.service.js';
import { SearchController } from './search.controller.js';
import { SpikesService } from './spikes/spikes.service.js';

/** GET /v1/requests, /v1/error-rates, /v1/spikes. */
@Module({
  imports: [StoreModule],
  controllers: [SearchController],
  providers: [RequestSearchService, ErrorRatesService, SpikesService],
  exports: [RequestSearchService, ErrorRatesService, SpikesService],
})
export class SearchModule {}
