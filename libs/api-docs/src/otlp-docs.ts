/** The OTLP/HTTP logs endpoint's part of the OpenAPI document, in its own file. */
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const protobufOrJson = (description: string) => ({
  description,
  content: {
    'application/x-protobuf': { schema: { type: 'string', format: 'binary' } },
    'application/json': { schema: { type: 'object' } },
  },
});

export const OTLP_PATHS = {
  '/otlp/v1/logs': {
    post: {
      summary:
        'Ingest OTLP/HTTP logs (ExportLogsServiceRequest, protobuf or JSON, optionally gzip): a Collector `otlphttp` endpoint of /otlp',
      description:
        'HTTP semantic-convention attributes map to the access-log record (docs/sources.md#otlp); then the same validation, limits, ' +
        'redaction and backpressure as POST /v1/logs. Needs a key with logs:write in X-API-Key.',
      requestBody: protobufOrJson('an ExportLogsServiceRequest (opentelemetry-proto collector/logs/v1)'),
      responses: {
        200: protobufOrJson('ExportLogsServiceResponse in the request encoding; partialSuccess counts and names the rejected records'),
        400: error('the body is not an ExportLogsServiceRequest (protobuf or OTLP/JSON)'),
        413: error('body over INGEST_MAX_BODY_BYTES, or more log records than INGEST_MAX_RECORDS_PER_REQUEST'),
        415: error('Content-Type is not application/x-protobuf or application/json'),
        422: error('no log record maps to a valid record'),
        503: error('queue unavailable or over its backlog / Redis memory budget; Retry-After set, nothing accepted'),
      },
    },
  },
};
