export { ApiError } from './api-error.js';
export { closeIfBodyUnread } from './unread-body.js';
export { configureHttpApp, readyHttpApp } from './configure-http-app.js';
export { createHttpAdapter } from './http-adapter.js';
export { HTTP_CONFIG } from './http.config.js';
