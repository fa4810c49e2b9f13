export { ApiError } from './api-error.js';
export { closeIfBodyUnread } from './unread-body.js';
export { configureHttpApp } from './configure-http-app.js';
export { HTTP_CONFIG } from './http.config.js';
