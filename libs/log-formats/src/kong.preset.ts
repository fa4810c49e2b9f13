import { epochTimestamp, integer, isAbsent, retryAfter, text } from './field-values.js';
import { lineMapper, objectOf } from './mapped-record.js';

/**
 * One entry of Kong's http-log plugin (the object it POSTs, or one element of the array its queue
 * batches). Header names are matched without regard to case and a repeated header (a JSON array) gives
 * its first value. The consumer is the API key: its username, else its custom_id, else its id.
 */
export const mapKong = lineMapper('a Kong http-log entry', (entry, out) => {
  const request = objectOf(entry.request) ?? {};
  const response = objectOf(entry.response) ?? {};
  const consumer = objectOf(entry.consumer) ?? {};
  const latencies = objectOf(entry.latencies) ?? {};
  const timestamp = isAbsent(entry.started_at) ? undefined : epochTimestamp(entry.started_at, 'ms', 'started_at', out);
  return {
    // Kong 3.5+ logs its own request id as request.id; an X-Request-Id the client or Kong set wins.
    requestId: text(header(request.headers, 'x-request-id')) ?? text(request.id),
    timestamp,
    method: text(request.method),
    path: text(request.uri),
    route: routeTemplate(objectOf(entry.route)?.paths),
    status: integer(response.status, 'status', 'response.status', out),
    durationMs: integer(latencies.request, 'durationMs', 'latencies.request', out),
    error: text(header(response.headers, 'x-error-code')),
    retryAfter: retryAfter(header(response.headers, 'retry-after'), timestamp, 'response.headers.retry-after', out),
    apiKeyId: text(consumer.username) ?? text(consumer.custom_id) ?? text(consumer.id),
    clientIp: text(entry.client_ip),
    userAgent: text(header(request.headers, 'user-agent')),
  };
});

function header(headers: unknown, name: string): unknown {
  const all = objectOf(headers);
  if (all === undefined) return undefined;
  const key = Object.keys(all).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : all[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A Kong route's single regex path with named captures as a template: `~/v1/users/(?<id>[^/]+)$` →
 * `/v1/users/:id`. Plain paths are prefixes (one would merge every endpoint under it), and other
 * regexes have no template: both are left out and validation derives the route from the path.
 */
function routeTemplate(paths: unknown): string | undefined {
  if (!Array.isArray(paths) || paths.length !== 1 || typeof paths[0] !== 'string' || !paths[0].startsWith('~/')) return undefined;
  const template = paths[0]
    .slice(1)
    .replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>[^()]*\)/g, ':$1')
    .replace(/\$$/, '');
  return /[\\^$.*+?()[\]{}|]/.test(template) ? undefined : template;
}
