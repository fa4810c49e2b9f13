/** A stored request as lists show it (search results, an API key's neighbours). */
export interface RequestSummaryRow {
  requestId: string;
  sentAt: Date;
  method: string;
  path: string;
  route: string;
  status: number;
  durationMs: number;
  errorCode: string | null;
  message: string | null;
  retryAfter: number | null;
  apiKeyId: string | null;
}

/** request_logs columns of a RequestSummaryRow, named as its fields: for every query that lists requests. */
export const REQUEST_SUMMARY_COLUMNS = `request_id AS "requestId", sent_at AS "sentAt", method, path, route, status,
  duration_ms AS "durationMs", error_code AS "errorCode", message, retry_after AS "retryAfter", api_key_id AS "apiKeyId"`;

/** A stored record with every column support staff see. */
export interface StoredRequestRow extends RequestSummaryRow {
  details: unknown;
  clientIp: string | null;
  userAgent: string | null;
  receivedAt: Date;
  storedAt: Date;
  ingestedByKeyId: string | null;
}
