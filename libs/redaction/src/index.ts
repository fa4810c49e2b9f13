export { Redactor } from './redactor.js';
export type { ClientIpMode } from './client-ip.js';
export { REDACTION_CONFIG, REDACTION_DEFAULTS } from './redaction.config.js';
export type { RedactionConfig } from './redaction.config.js';
