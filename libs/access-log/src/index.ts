export type { AccessLogRecord, FieldErrors } from './access-log-record.js';
export { CANONICAL_TIMESTAMP, REQUEST_ID_PATTERN } from './access-log-record.js';
export { deriveRoute, stripQuery, isIdLikeSegment } from './derive-route.js';
export { validateRecord } from './validate-record.js';
export type { ValidationLimits, ValidationResult } from './validate-record.js';
export { statusMeaning, statusClass } from './status-codes.js';
export type { StatusMeaning } from './status-codes.js';
