export { AuthModule } from './auth.module.js';
export { authenticatedKeyOf, requiredScopeOf } from './api-key.guard.js';
export { ApiKeyRepository } from './api-key.repository.js';
export { RequireScope } from './auth.decorators.js';
export { parseScopes } from './scopes.js';
export { AUTH_CONFIG } from './auth.config.js';
