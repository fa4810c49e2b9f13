import { integer, retryAfter, text } from './field-values.js';
import { lineMapper } from './mapped-record.js';

/**
 * One line of the Envoy `json_format` that docs/sources.md recommends. Envoy writes a missing header
 * as "-" (or null), `%DURATION%` in whole milliseconds, and a lone command operator as a JSON number
 * or string depending on the version: both are read. `%ROUTE_NAME%` is the route only when it is a
 * path template (starts with "/"); other names are left out and the route is derived from the path.
 */
export const mapEnvoy = lineMapper('an Envoy access log line', (line, out) => {
  const timestamp = text(line.start_time);
  const routeName = text(line.route_name);
  return {
    requestId: text(line.request_id),
    timestamp,
    method: text(line.method),
    path: text(line.path),
    route: typeof routeName === 'string' && routeName.startsWith('/') ? routeName : undefined,
    status: integer(line.response_code, 'status', 'response_code', out),
    durationMs: integer(line.duration, 'durationMs', 'duration', out),
    error: text(line.error_code),
    retryAfter: retryAfter(line.retry_after, timestamp, 'retry_after', out),
    apiKeyId: text(line.api_key_id),
    clientIp: text(line.client_ip),
    userAgent: text(line.user_agent),
  };
});
