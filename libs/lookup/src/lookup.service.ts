import { Injectable } from '@nestjs/common';
import { REQUEST_ID_PATTERN, statusClass, statusMeaning } from '#libs/access-log';
import { ApiError, validationError } from '#libs/http-errors';
import { RequestLogRepository } from '#libs/request-store';

type StoredRow = Awaited<ReturnType<RequestLogRepository['findByRequestId']>>[number];

/** A stored request as support staff read it: the record plus what its status code means. */
@Injectable()
export class LookupService {
  constructor(private readonly repository: RequestLogRepository) {}

  async lookup(requestId: string) {
    if (!REQUEST_ID_PATTERN.test(requestId)) {
      throw validationError({ requestId: ['must be 1-128 characters of letters, digits, ".", "_", ":" or "-"'] });
    }
    const [newest, ...others] = await this.repository.findByRequestId(requestId);
    if (!newest) {
      throw new ApiError(404, 'not_found', `No request with X-Request-Id "${requestId}" has been stored.`, { requestId });
    }
    // The same id sent at another time is a different record (ids are unique per send time); show both.
    return { ...present(newest), otherRecords: others.map(present) };
  }
}

function present(row: StoredRow) {
  return {
    requestId: row.requestId,
    timestamp: row.sentAt.toISOString(),
    method: row.method,
    path: row.path,
    route: row.route,
    status: row.status,
    statusClass: statusClass(row.status),
    statusMeaning: statusMeaning(row.status),
    durationMs: row.durationMs,
    error: row.errorCode,
    message: row.message,
    details: row.details,
    retryAfter: row.retryAfter,
    apiKeyId: row.apiKeyId,
    clientIp: row.clientIp,
    userAgent: row.userAgent,
    receivedAt: row.receivedAt.toISOString(),
    storedAt: row.storedAt.toISOString(),
  };
}
