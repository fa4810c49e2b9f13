import { REQUEST_ID_PATTERN } from '#libs/access-log';
import { isServedTime, type QueryParams } from '../query-params.js';

/** The position after the last row of a page: rows come newest first, ties on sent_at by request id. */
export interface SearchCursor {
  sentAt: Date;
  requestId: string;
}

/** Opaque to callers: base64url of `[sentAt ISO, requestId]`. */
export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sentAt.toISOString(), cursor.requestId])).toString('base64url');
}

export function readCursor(params: QueryParams): SearchCursor | undefined {
  const value = params.string('cursor', /^[A-Za-z0-9_-]{1,400}$/, 'must be a nextCursor returned by a previous page');
  if (value === undefined) return undefined;
  try {
    const [sentAt, requestId] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(sentAt as string);
    const validTime = typeof sentAt === 'string' && isServedTime(date);
    if (validTime && typeof requestId === 'string' && REQUEST_ID_PATTERN.test(requestId)) return { sentAt: date, requestId };
  } catch {
    // falls through to the validation error below
  }
  params.fail('cursor', 'must be a nextCursor returned by a previous page');
  return undefined;
}
