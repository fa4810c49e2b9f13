import type { RequestFilter } from '#libs/store';
import { QueryParams } from './query-params.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The filters every endpoint of the search API shares (also the rollup dimensions). */
export const FILTER_PARAMS = ['status', 'statusClass', 'route', 'method', 'errorCode', 'apiKeyId'] as const;

export function readFilter(params: QueryParams): RequestFilter {
  const method = params.string('method', /^[A-Za-z]{1,16}$/, 'must be an HTTP method such as GET or POST');
  return {
    statuses: params.statuses('status'),
    statusClasses: params.statusClasses('statusClass'),
    route: readRoute(params),
    method: method?.toUpperCase(),
    errorCode: params.string('errorCode', /^.{1,128}$/s, 'must be 1-128 characters'),
    apiKeyId: readApiKeyId(params),
  };
}

export function readRoute(params: QueryParams): string | undefined {
  return params.string('route', /^\/.{0,511}$/s, 'must be a route template starting with "/", such as /v1/sessions/:id');
}

export function readApiKeyId(params: QueryParams): string | undefined {
  return params.string('apiKeyId', /^.{1,128}$/s, 'must be 1-128 characters');
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * `from`/`to` (end exclusive), by default the last `defaultHours`; at most `maxDays` long. With
 * `wholeMinutes` both are widened to whole minutes (from down, to up): the rollups' resolution.
 */
export function readRange(
  params: QueryParams,
  options: { defaultHours: number; maxDays: number; wholeMinutes: boolean },
  now = new Date(),
): TimeRange {
  let to = params.time('to') ?? now;
  let from = params.time('from') ?? new Date(to.getTime() - options.defaultHours * 3_600_000);
  if (options.wholeMinutes) {
    from = new Date(Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS);
    to = new Date(Math.ceil(to.getTime() / MINUTE_MS) * MINUTE_MS);
  }
  if (!params.hasError('from') && !params.hasError('to')) {
    if (from.getTime() >= to.getTime()) params.fail('from', 'must be before to');
    else if (to.getTime() - from.getTime() > options.maxDays * DAY_MS)
      params.fail('to', `must be at most ${options.maxDays} days after from`);
  }
  return { from, to };
}
