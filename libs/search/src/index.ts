export { SearchModule } from './search.module.js';
export { SEARCH_CONFIG } from './search.config.js';
