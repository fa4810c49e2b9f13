export { setupApiDocs } from './setup-api-docs.js';
