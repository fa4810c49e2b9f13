import { statusClass, statusMeaning } from '#libs/access-log';
import type { RequestSummaryRow, StoredRequestRow } from './request-rows.js';

/** A stored request in the API's words, as lists give it (search results, an API key's neighbours). */
export function requestSummaryView(row: RequestSummaryRow) {
  return {
    requestId: row.requestId,
    timestamp: row.sentAt.toISOString(),
    method: row.method,
    path: row.path,
    route: row.route,
    status: row.status,
    statusClass: statusClass(row.status),
    durationMs: row.durationMs,
    error: row.errorCode,
    message: row.message,
    retryAfter: row.retryAfter,
    apiKeyId: row.apiKeyId,
  };
}

/** The whole stored record, as the lookup by X-Request-Id gives it: the summary, what the status means, and the rest. */
export function storedRequestView(row: StoredRequestRow) {
  return {
    ...requestSummaryView(row),
    statusMeaning: statusMeaning(row.status),
    details: row.details,
    clientIp: row.clientIp,
    userAgent: row.userAgent,
    receivedAt: row.receivedAt.toISOString(),
    storedAt: row.storedAt.toISOString(),
    ingestedByKeyId: row.ingestedByKeyId,
  };
}
