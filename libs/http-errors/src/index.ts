export { ApiError } from './api-error.js';
export { closeIfBodyUnread } from './unread-body.js';
export { AllExceptionsFilter } from './all-exceptions.filter.js';
export { requestIdMiddleware, requestIdOf, REQUEST_ID_HEADER } from './request-id.middleware.js';
export { configureHttpApp } from './configure-http-app.js';
export { HTTP_CONFIG } from './http.config.js';
export type { HttpConfig } from './http.config.js';
