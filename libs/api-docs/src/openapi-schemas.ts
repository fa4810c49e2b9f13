import {
  MAX_API_KEY_ID_LENGTH,
  MAX_CLIENT_IP_LENGTH,
  MAX_DETAILS_BYTES,
  MAX_DETAILS_DEPTH,
  MAX_DURATION_MS,
  MAX_ERROR_CODE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PATH_LENGTH,
  MAX_RETRY_AFTER_SECONDS,
  MAX_ROUTE_LENGTH,
  MAX_USER_AGENT_LENGTH,
} from '#libs/access-log';

/** Component schemas of the OpenAPI document: the answers' shapes, as the code builds them. */
const nullableString = { type: ['string', 'null'] };

/** Fields a stored request has in the search page, the key's neighbours and the lookup. */
const REQUEST_FIELDS = {
  requestId: { type: 'string' },
  timestamp: { type: 'string', format: 'date-time' },
  method: { type: 'string' },
  path: { type: 'string' },
  route: { type: 'string' },
  status: { type: 'integer' },
  statusClass: { type: 'string', examples: ['4xx'] },
  durationMs: { type: 'number' },
  error: nullableString,
  message: nullableString,
  retryAfter: { type: ['integer', 'null'] },
  apiKeyId: nullableString,
};

export const SCHEMAS = {
  Error: {
    type: 'object',
    description: 'Every error, in the Verilock conventions shape. 422 details map each bad field to its messages.',
    required: ['error', 'message', 'details'],
    properties: {
      error: { type: 'string', examples: ['validation_error'] },
      message: { type: 'string' },
      details: { type: 'object', additionalProperties: true, examples: [{ limit: ['must be an integer from 1 to 500'] }] },
    },
  },
  AccessLogRecord: {
    type: 'object',
    required: ['requestId', 'timestamp', 'method', 'path', 'status', 'durationMs'],
    properties: {
      requestId: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
      timestamp: { type: 'string', format: 'date-time' },
      method: { type: 'string', pattern: '^[A-Za-z]{3,10}$' },
      path: { type: 'string', pattern: '^/', maxLength: MAX_PATH_LENGTH },
      route: { type: 'string', pattern: '^/', maxLength: MAX_ROUTE_LENGTH },
      status: { type: 'integer', minimum: 100, maximum: 599 },
      durationMs: { type: 'number', minimum: 0, maximum: MAX_DURATION_MS },
      error: { type: 'string', maxLength: MAX_ERROR_CODE_LENGTH },
      message: { type: 'string', maxLength: MAX_MESSAGE_LENGTH },
      details: {
        type: ['object', 'array'],
        description: `At most ${MAX_DETAILS_DEPTH} levels deep and ${MAX_DETAILS_BYTES} bytes of JSON (UTF-8).`,
      },
      retryAfter: { type: 'integer', minimum: 0, maximum: MAX_RETRY_AFTER_SECONDS },
      apiKeyId: { type: 'string', maxLength: MAX_API_KEY_ID_LENGTH },
      clientIp: { type: 'string', maxLength: MAX_CLIENT_IP_LENGTH },
      userAgent: { type: 'string', maxLength: MAX_USER_AGENT_LENGTH },
    },
  },
  IngestResult: {
    type: 'object',
    properties: {
      accepted: { type: 'integer' },
      rejected: {
        type: 'array',
        description: 'the first 100 rejected records',
        items: { type: 'object', properties: { index: { type: 'integer' }, details: { type: 'object' } } },
      },
      rejectedCount: { type: 'integer', description: 'all rejected records' },
    },
  },
  StoredRequest: {
    type: 'object',
    properties: {
      ...REQUEST_FIELDS,
      statusMeaning: {
        type: 'object',
        properties: {
          code: { type: 'integer' },
          name: { type: 'string' },
          description: { type: 'string' },
          documented: { type: 'boolean' },
        },
      },
      details: {},
      clientIp: nullableString,
      userAgent: nullableString,
      receivedAt: { type: 'string', format: 'date-time' },
      storedAt: { type: 'string', format: 'date-time' },
      ingestedByKeyId: {
        ...nullableString,
        description: 'id of the API key that ingested the record (null: the shipper queue sink, or stored before this was recorded)',
      },
      otherRecords: {
        type: 'array',
        items: { type: 'object' },
        description:
          'The same id sent at other times, each with its ingestedByKeyId; ' +
          'the first stored record is the main result, the others follow in the order stored.',
      },
    },
  },
  SearchPage: {
    type: 'object',
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      items: { type: 'array', items: { type: 'object', properties: REQUEST_FIELDS } },
      nextCursor: { ...nullableString, description: 'Pass as `cursor` for the next (older) page; null on the last page.' },
    },
  },
  ErrorRates: {
    type: 'object',
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      interval: { type: 'string', enum: ['1m', '5m', '1h', '1d'] },
      groupBy: nullableString,
      series: {
        type: 'array',
        description: 'One series (group null) without groupBy; else one per group, largest first.',
        items: {
          type: 'object',
          properties: {
            group: nullableString,
            total: { type: 'integer' },
            buckets: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  start: { type: 'string', format: 'date-time' },
                  total: { type: 'integer' },
                  status4xx: { type: 'integer' },
                  status5xx: { type: 'integer' },
                  byStatus: { type: 'object', additionalProperties: { type: 'integer' }, examples: [{ 200: 120, 429: 4 }] },
                  errorRatio: { type: ['number', 'null'], description: '(4xx + 5xx) / total; null for an empty bucket' },
                },
              },
            },
          },
        },
      },
    },
  },
  Spikes: {
    type: 'object',
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      interval: { type: 'string', enum: ['1m'] },
      statuses: { type: 'array', items: { type: 'integer' } },
      omittedSpikes: { type: 'integer', description: 'spikes detected beyond the 50 largest described in `spikes`' },
      spikes: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            status: { type: 'integer' },
            start: { type: 'string', format: 'date-time' },
            end: { type: 'string', format: 'date-time', description: 'exclusive' },
            peakRate: { type: 'number', description: 'requests per minute at the peak' },
            baselineRate: { type: 'number', description: 'median requests per minute before the spike' },
            factor: { type: 'number', description: 'peakRate / max(baselineRate, 1)' },
            count: { type: 'integer' },
            topRoutes: { type: 'array', items: { type: 'object', properties: { route: { type: 'string' }, count: { type: 'integer' } } } },
            topApiKeys: { type: 'array', items: { type: 'object', properties: { apiKeyId: nullableString, count: { type: 'integer' } } } },
            sampleRequestIds: { type: 'array', items: { type: 'string' } },
            earlyRetries: {
              type: 'array',
              description:
                'Top API keys of the spike that sent a request before the Retry-After of their previous rejection had elapsed ' +
                '(1 s when none was given).',
              items: {
                type: 'object',
                properties: {
                  apiKeyId: { type: 'string' },
                  requests: { type: 'integer' },
                  rejected: { type: 'integer' },
                  earlyRetries: { type: 'integer' },
                },
              },
            },
          },
        },
      },
    },
  },
  FailedBatch: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      records: { type: 'integer' },
      attemptsMade: { type: 'integer' },
      failedReason: { type: 'string' },
      receivedAt: { type: 'string', format: 'date-time' },
      failedAt: { type: 'string', format: 'date-time', nullable: true },
    },
  },
  FailedBatchList: {
    type: 'object',
    properties: { total: { type: 'integer' }, batches: { type: 'array', items: { $ref: '#/components/schemas/FailedBatch' } } },
  },
  FailedBatchDetail: {
    allOf: [
      { $ref: '#/components/schemas/FailedBatch' },
      {
        type: 'object',
        properties: {
          stacktrace: { type: 'array', items: { type: 'string' } },
          data: { type: 'object', description: 'the queued batch: records, receivedAt, source' },
        },
      },
    ],
  },
  Neighbor: { type: 'object', description: 'A request of the same API key, as search results give it.', properties: REQUEST_FIELDS },
  Health: {
    type: 'object',
    properties: { status: { type: 'string' }, info: { type: 'object' }, error: { type: 'object' }, details: { type: 'object' } },
  },
};
