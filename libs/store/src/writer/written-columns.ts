/**
 * The columns of request_logs a batch write fills, in the one order both write paths use: the
 * INSERT's column list, and COPY's, which copyRows' lines must follow field by field.
 */
export const WRITTEN_COLUMNS = `request_id, sent_at, method, path, route, status, duration_ms, error_code,
  message, details, retry_after, api_key_id, client_ip, user_agent, received_at, ingested_by_key_id`;
