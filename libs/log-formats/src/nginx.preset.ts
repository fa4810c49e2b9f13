import { duration, integer, retryAfter, text } from './field-values.js';
import { lineMapper } from './mapped-record.js';

/**
 * One line of the `log_format verilock escape=json` that docs/sources.md recommends. Unset variables are
 * logged as "" and some as "-": both mean absent. `upstream_response_time` ("0.012, 0.004 : 0.001" when
 * nginx tried several upstreams) is not carried: `request_time` is the time the client waited.
 */
export const mapNginx = lineMapper('an nginx log line', (line, out) => {
  const timestamp = text(line.time);
  return {
    requestId: text(line.request_id),
    timestamp,
    method: text(line.method),
    path: text(line.uri),
    route: text(line.route),
    status: integer(line.status, 'status', 'status', out),
    durationMs: duration(line.request_time, 's', 'request_time', out),
    error: text(line.error_code),
    retryAfter: retryAfter(line.retry_after, timestamp, 'retry_after', out),
    apiKeyId: text(line.api_key_id),
    clientIp: text(line.remote_addr),
    userAgent: text(line.user_agent),
  };
});
