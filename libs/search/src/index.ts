export { SearchModule } from './search.module.js';
export { RequestSearchService } from './requests/request-search.service.js';
export { ErrorRatesService } from './error-rates/error-rates.service.js';
export { SpikesService } from './spikes/spikes.service.js';
export { detectSpikes, DEFAULT_SPIKE_OPTIONS } from './spikes/detect-spikes.js';
export type { SpikeOptions, DetectedSpike } from './spikes/detect-spikes.js';
export { SEARCH_CONFIG } from './search.config.js';
