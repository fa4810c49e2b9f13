export { Redactor } from './redactor.js';
export { redactJson } from './redact-json.js';
export { redactText } from './redact-text.js';
export { storedClientIp } from './client-ip.js';
export type { ClientIpMode } from './client-ip.js';
export { REDACTED } from './secret-names.js';
export { REDACTION_CONFIG, REDACTION_DEFAULTS } from './redaction.config.js';
export type { RedactionConfig } from './redaction.config.js';
