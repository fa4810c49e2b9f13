export type { AccessLogRecord, FieldErrors } from './access-log-record.js';
export { CANONICAL_TIMESTAMP, REQUEST_ID_PATTERN } from './access-log-record.js';
export { canonicalTimestampMillis } from './canonical-timestamp.js';
export { validateRecord } from './validate-record.js';
export {
  MAX_API_KEY_ID_LENGTH,
  MAX_CLIENT_IP_LENGTH,
  MAX_DETAILS_BYTES,
  MAX_DETAILS_DEPTH,
  MAX_DURATION_MS,
  MAX_ERROR_CODE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PATH_LENGTH,
  MAX_RETRY_AFTER_SECONDS,
  MAX_ROUTE_LENGTH,
  MAX_USER_AGENT_LENGTH,
} from './record-limits.js';
export type { ValidationLimits } from './validate-record.js';
export { statusMeaning, statusClass } from './status-codes.js';
