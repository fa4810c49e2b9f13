/** GET /v1/admin/ingest/sources in the OpenAPI document, in its own file like the dead letter's. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const integer = { type: 'integer' };

export const INGEST_SOURCES_PATHS = {
  '/v1/admin/ingest/sources': {
    get: {
      summary:
        'Ingest health per source (record, nginx, envoy, kong, generic, otlp, shipper): counts, last seen, and the last ' +
        'rejected lines with why, redacted and cut, shared by every api replica (admin scope)',
      responses: {
        200: { description: 'every source, never-seen ones with lastSeenAt null', ...json(ref('IngestSourceList')) },
        401: { description: 'no or bad key', ...json(ref('Error')) },
        403: { description: 'not an admin key', ...json(ref('Error')) },
        503: { description: 'Redis cannot answer; Retry-After', ...json(ref('Error')) },
      },
    },
  },
};

const REJECTED_LINE = {
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time' },
    reason: { type: 'string', description: "the metric's reason: the first invalid field, or malformed_json" },
    details: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    line: { type: 'string', description: 'the line as the source sent it, redacted, at most rejected_line_max_bytes' },
    truncated: { type: 'boolean' },
  },
};

export const INGEST_SOURCES_SCHEMAS = {
  IngestSource: {
    type: 'object',
    properties: {
      source: { type: 'string', enum: ['record', 'nginx', 'envoy', 'kong', 'generic', 'otlp', 'shipper'] },
      lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
      received: integer,
      accepted: integer,
      rejected: integer,
      lastRejected: { type: 'array', items: REJECTED_LINE, description: 'newest first' },
    },
  },
  IngestSourceList: {
    type: 'object',
    properties: {
      sources: { type: 'array', items: ref('IngestSource') },
      limits: { type: 'object', properties: { rejected_lines_per_source: integer, rejected_line_max_bytes: integer } },
    },
  },
};
