import { Injectable } from '@nestjs/common';
import { REQUEST_ID_PATTERN } from '#libs/access-log';
import { InvalidInput, NotFound } from '#libs/errors';
import { RequestLookupRepository, type StoredRequestRow, requestSummaryView, storedRequestView } from '#libs/store';

/** A stored request as support staff read it: the record plus what its status code means. */
@Injectable()
export class LookupService {
  constructor(private readonly repository: RequestLookupRepository) {}

  async lookup(requestId: string, query: Record<string, unknown> = {}) {
    rejectUnknownParameters(query, []);
    const [first, ...others] = await this.find(requestId);
    // The same id sent at another time is a different record (ids are unique per send time); show both.
    // The first stored is the main result, so a later record reusing the id cannot take its place.
    return { ...storedRequestView(first), otherRecords: others.map(storedRequestView) };
  }

  /** The same API key's requests just before and after this one (of the first stored record with this id). */
  async neighbors(requestId: string, query: Record<string, unknown> = {}) {
    rejectUnknownParameters(query, ['limit']);
    // A string of digits, given once: a repeated `limit` arrives as an array.
    const limitParam = query.limit ?? String(DEFAULT_NEIGHBORS);
    const limit = typeof limitParam === 'string' && /^\d{1,3}$/.test(limitParam) ? Number(limitParam) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NEIGHBORS) {
      throw new InvalidInput({ limit: [`must be a whole number from 1 to ${MAX_NEIGHBORS}`] });
    }
    const [record] = await this.find(requestId);
    const empty = { before: [], after: [] };
    const { before, after } = record.apiKeyId
      ? await this.repository.findKeyNeighbors(record.apiKeyId, record.sentAt, record.requestId, limit)
      : empty;
    return {
      requestId: record.requestId,
      timestamp: record.sentAt.toISOString(),
      apiKeyId: record.apiKeyId,
      before: before.map(requestSummaryView),
      after: after.map(requestSummaryView),
    };
  }

  private async find(requestId: string): Promise<[StoredRequestRow, ...StoredRequestRow[]]> {
    if (!REQUEST_ID_PATTERN.test(requestId)) {
      throw new InvalidInput({ requestId: ['must be 1-128 characters of letters, digits, ".", "_", ":" or "-"'] });
    }
    const rows = await this.repository.findByRequestId(requestId);
    if (rows.length === 0) {
      throw new NotFound(`No request with X-Request-Id "${requestId}" has been stored.`, { requestId });
    }
    return rows as [StoredRequestRow, ...StoredRequestRow[]];
  }
}

/** Unknown query parameters are a 422 naming them, as on the search API: a typo must not pass silently. */
function rejectUnknownParameters(query: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length === 0) return;
  const details = Object.create(null) as Record<string, string[]>;
  for (const name of unknown) details[name] = ['is not a known parameter'];
  throw new InvalidInput(details);
}

const DEFAULT_NEIGHBORS = 5;
const MAX_NEIGHBORS = 50;
