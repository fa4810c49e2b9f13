export { setupApiDocs } from './setup-api-docs.js';
export { OPENAPI_DOCUMENT } from './openapi-document.js';
