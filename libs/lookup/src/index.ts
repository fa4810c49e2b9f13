export { LookupModule } from './lookup.module.js';
export { LookupService } from './lookup.service.js';
