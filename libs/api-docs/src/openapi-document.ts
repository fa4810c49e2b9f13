import type { OpenAPIObject } from '@nestjs/swagger';
import { LOG_FORMATS } from '#libs/log-formats';
import { DEAD_LETTER_PATHS, DEAD_LETTER_SCHEMAS } from './dead-letter-docs.js';
import { OTLP_PATHS } from './otlp-docs.js';
import { INGEST_SOURCES_PATHS, INGEST_SOURCES_SCHEMAS } from './ingest-sources-docs.js';
import { SCHEMAS } from './openapi-schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', description, schema });

const invalid = error('validation_error: per-field details for every bad or unknown parameter, or a range/bucket limit exceeded');
const timedOut = error('service_unavailable: a query ran longer than API_QUERY_TIMEOUT_MS; Retry-After set, details.limit names it');
const filters = ['status', 'statusClass', 'route', 'method', 'errorCode', 'apiKeyId'].map(param);

/** The hand-written OpenAPI 3.1 document of the api: every endpoint, served at /docs. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Verilock error analytics',
    version: '0.1.0',
    description:
      'Ingests the Verilock API access logs and answers lookup, search, error rates and spike detection. ' +
      'Every response carries X-Request-Id; every error is `{error, message, details}`.',
  },
  security: [{ apiKey: [] }],
  paths: {
    '/v1/logs': {
      post: {
        summary: 'Ingest access-log records (JSON array, {"records": [...]}, or NDJSON; optionally gzip/deflate/br)',
        parameters: [
          query('format', "the lines' shape: a Verilock record, or a source's own access log mapped by its preset (docs/sources.md)", {
            type: 'string',
            enum: [...LOG_FORMATS],
            default: 'verilock',
          }),
          query('map.<field>', 'format=generic only: the dotted path of a record field (e.g. map.status=resp.code)'),
          query('durationUnit', 'format=generic only: unit of the mapped duration', { type: 'string', enum: ['s', 'ms'], default: 'ms' }),
          query('timestampUnit', 'format=generic only: unit of a timestamp given as a number since the epoch', {
            type: 'string',
            enum: ['s', 'ms'],
            default: 's',
          }),
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'array', items: ref('AccessLogRecord') },
                  { type: 'object', properties: { records: { type: 'array', items: ref('AccessLogRecord') } } },
                ],
              },
            },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        responses: {
          202: { description: 'Valid records queued; invalid ones listed', ...json(ref('IngestResult')) },
          400: error('malformed body'),
          413: error('body over INGEST_MAX_BODY_BYTES, or more records than INGEST_MAX_RECORDS_PER_REQUEST'),
          415: error('unsupported content type'),
          422: error('no record is valid, or an unknown format or query parameter'),
          503: error('queue unavailable or over its backlog / Redis memory budget; Retry-After set, nothing accepted'),
        },
      },
    },
    '/v1/requests': {
      get: {
        summary: 'Search stored requests, newest first, by keyset pagination',
        parameters: [
          param('from'),
          param('to'),
          ...filters,
          query('limit', 'page size (default 50)', { type: 'integer', minimum: 1, maximum: 500 }),
          query('cursor', 'nextCursor of the previous page'),
        ],
        description:
          'Range at most 92 days. Unknown parameters are a 422 naming them. ' +
          'Route, error code, status and API key filters are served by indexes; ' +
          'a method or status-class filter asks the per-minute rollups first which minutes hold a match.',
        responses: { 200: { description: 'One page', ...json(ref('SearchPage')) }, 422: invalid, 503: timedOut },
      },
    },
    '/v1/requests/{requestId}': {
      get: {
        summary: 'Look one request up by its X-Request-Id',
        parameters: [{ name: 'requestId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: 'The stored record', ...json(ref('StoredRequest')) },
          404: error('unknown id'),
          422: error('an id that cannot exist (not 1-128 of [A-Za-z0-9._:-]), or any query parameter'),
          503: timedOut,
        },
      },
    },
    '/v1/requests/{requestId}/neighbors': {
      get: {
        summary: "The same API key's requests just before and after this one (the support page's context)",
        parameters: [
          { name: 'requestId', in: 'path', required: true, schema: { type: 'string' } },
          query('limit', 'how many on each side (default 5)', { type: 'integer', minimum: 1, maximum: 50 }),
        ],
        responses: {
          200: {
            description: 'before (newest first) and after (oldest first); both empty when the request has no apiKeyId',
            ...json({
              type: 'object',
              properties: {
                requestId: { type: 'string' },
                timestamp: { type: 'string', format: 'date-time' },
                apiKeyId: { type: 'string', nullable: true },
                before: { type: 'array', items: ref('Neighbor') },
                after: { type: 'array', items: ref('Neighbor') },
              },
            }),
          },
          404: error('unknown id'),
          422: error('an id that cannot exist, a bad limit, or an unknown parameter'),
          503: timedOut,
        },
      },
    },
    '/v1/error-rates': {
      get: {
        summary: 'Request counts per bucket over [from, to) from per-minute rollups: total, 4xx, 5xx, per status, error ratio',
        description:
          'from/to are widened to whole minutes. Range at most 31 days and 3000 buckets, ' +
          'and series × buckets at most ERROR_RATES_MAX_POINTS ' +
          '(default 20000), else 422 whose details (interval, and top when grouped) say how to narrow.',
        parameters: [
          param('from'),
          param('to'),
          query(
            'interval',
            'bucket width; auto (default) picks the smallest giving at most 1440 buckets and ERROR_RATES_MAX_POINTS points',
            { type: 'string', enum: ['1m', '5m', '1h', '1d', 'auto'] },
          ),
          query('groupBy', 'one series per value of this dimension', {
            type: 'string',
            enum: ['status', 'statusClass', 'route', 'errorCode', 'apiKeyId'],
          }),
          query('top', 'with groupBy: keep the largest groups (default 10)', { type: 'integer', minimum: 1, maximum: 50 }),
          ...filters,
        ],
        responses: { 200: { description: 'The series', ...json(ref('ErrorRates')) }, 422: invalid, 503: timedOut },
      },
    },
    '/v1/spikes': {
      get: {
        summary: 'Spikes of chosen status codes (default 429, 503): rolling median + MAD baseline per minute',
        description:
          'Range at most 7 days (default the last 24 h), widened to whole minutes. ' +
          'At most 50 spikes are described (the largest); omittedSpikes counts the rest.',
        parameters: [param('from'), param('to'), { ...param('status') }, param('route'), param('apiKeyId')],
        responses: { 200: { description: 'Detected spikes, oldest first', ...json(ref('Spikes')) }, 422: invalid, 503: timedOut },
      },
    },
    '/health/live': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'up', ...json(ref('Health')) } } } },
    '/health/ready': {
      get: {
        summary: 'Readiness: Postgres and Redis answer',
        security: [],
        responses: { 200: { description: 'ready', ...json(ref('Health')) }, 503: error('a dependency is down; details name it') },
      },
    },
    '/v1/admin/failed-batches': {
      get: {
        summary: 'Batches that exhausted their retries (admin scope): kept, never dropped',
        responses: {
          200: { description: 'the failed set, newest first', ...json(ref('FailedBatchList')) },
          401: error('no or bad key'),
          403: error('not an admin key'),
        },
      },
    },
    '/v1/admin/failed-batches/retry-all': {
      post: {
        summary: 'Move every failed batch back to the queue (admin scope); writes are idempotent',
        responses: {
          202: { description: 'how many were moved', ...json({ type: 'object', properties: { retried: { type: 'integer' } } }) },
        },
      },
    },
    '/v1/admin/failed-batches/{id}': {
      get: {
        summary: 'One failed batch with its error, stack traces and records (admin scope)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'the batch', ...json(ref('FailedBatchDetail')) }, 404: error('no failed batch with this id') },
      },
    },
    '/v1/admin/failed-batches/{id}/retry': {
      post: {
        summary: 'Move one failed batch back to the queue (admin scope)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          202: { description: 'moved', ...json({ type: 'object', properties: { retried: { type: 'integer' }, id: { type: 'string' } } }) },
          404: error('no failed batch with this id'),
        },
      },
    },
    ...DEAD_LETTER_PATHS,
    ...OTLP_PATHS,
    ...INGEST_SOURCES_PATHS,
    '/support': {
      get: {
        summary: 'The support lookup page (HTML). The page itself is public; its data calls send a logs:read key',
        security: [],
        responses: { 200: { description: 'a self-contained HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics of this process (the worker serves its own on WORKER_PORT); OpenMetrics with exemplars when asked for',
        security: [],
        responses: {
          200: {
            description: 'exposition text',
            content: { 'text/plain': { schema: { type: 'string' } }, 'application/openmetrics-text': { schema: { type: 'string' } } },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'scopes: logs:read, logs:write, admin' } },
    parameters: {
      from: query('from', 'RFC 3339 start, inclusive (default: to minus 24 h)', { type: 'string', format: 'date-time' }),
      to: query('to', 'RFC 3339 end, exclusive (default: now)', { type: 'string', format: 'date-time' }),
      status: query('status', 'status codes, comma-separated or repeated', { type: 'array', items: { type: 'integer' } }),
      statusClass: query('statusClass', 'status classes such as 4xx,5xx', {
        type: 'array',
        items: { type: 'string', pattern: '^[1-5]xx$' },
      }),
      route: query('route', 'route template, such as /v1/sessions/:id'),
      method: query('method', 'HTTP method'),
      errorCode: query('errorCode', 'the error field of the response, such as rate_limit_exceeded'),
      apiKeyId: query('apiKeyId', 'the caller API key id'),
    },
    schemas: { ...SCHEMAS, ...DEAD_LETTER_SCHEMAS, ...INGEST_SOURCES_SCHEMAS },
  },
} as unknown as OpenAPIObject;
