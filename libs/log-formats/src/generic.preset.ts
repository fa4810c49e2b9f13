import { duration, epochTimestamp, integer, retryAfter, text } from './field-values.js';
import { type CandidateFields, lineMapper, type LogMapper, objectOf } from './mapped-record.js';

export type TimeUnit = 's' | 'ms';

/** Where each record field is read from (a path of keys), and the units of the numeric ones. */
export interface GenericMapping {
  paths: Record<keyof CandidateFields, string[]>;
  durationUnit: TimeUnit;
  /** For a timestamp given as a number since the epoch; strings are read as RFC 3339. */
  timestampUnit: TimeUnit;
}

export const RECORD_FIELDS: ReadonlyArray<keyof CandidateFields> = [
  'requestId',
  'timestamp',
  'method',
  'path',
  'route',
  'status',
  'durationMs',
  'error',
  'message',
  'details',
  'retryAfter',
  'apiKeyId',
  'clientIp',
  'userAgent',
];

/** Any JSON shape, read through a field map (docs/sources.md): Vector's http sink, Fluent Bit's http output. */
export function genericMapper(mapping: GenericMapping): LogMapper {
  return lineMapper('a log event', (value, out) => {
    const read = (field: keyof CandidateFields) => valueAt(value, mapping.paths[field]);
    const from = (field: keyof CandidateFields) => mapping.paths[field].join('.');
    const rawTimestamp = text(read('timestamp'));
    const timestamp =
      typeof rawTimestamp === 'number' || (typeof rawTimestamp === 'string' && /^\d+(\.\d+)?$/.test(rawTimestamp))
        ? epochTimestamp(rawTimestamp, mapping.timestampUnit, from('timestamp'), out)
        : rawTimestamp;
    return {
      requestId: text(read('requestId')),
      timestamp,
      method: text(read('method')),
      path: text(read('path')),
      route: text(read('route')),
      status: integer(read('status'), 'status', from('status'), out),
      durationMs: duration(read('durationMs'), mapping.durationUnit, from('durationMs'), out),
      error: text(read('error')),
      message: text(read('message')),
      details: text(read('details')),
      retryAfter: retryAfter(read('retryAfter'), timestamp, from('retryAfter'), out),
      apiKeyId: text(read('apiKeyId')),
      clientIp: text(read('clientIp')),
      userAgent: text(read('userAgent')),
    };
  });
}

/** The value under a path of keys (a digit key indexes an array), or undefined where the path leads nowhere. */
function valueAt(root: unknown, path: string[]): unknown {
  let at = root;
  for (const key of path) {
    if (Array.isArray(at) && /^\d+$/.test(key)) at = at[Number(key)];
    else if (objectOf(at) !== undefined && Object.hasOwn(at as object, key)) at = (at as Record<string, unknown>)[key];
    else return undefined;
  }
  return at;
}
