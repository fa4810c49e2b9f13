/** The dead letter's part of the OpenAPI document (GET/DELETE /v1/admin/dead-letters…), kept beside the rest but in its own file. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } };
const badId = error('validation_error: the id is not a dead-letter id (a whole number from 1)');
const unknown = error('no dead-lettered record with this id');

export const DEAD_LETTER_PATHS = {
  '/v1/admin/dead-letters': {
    get: {
      summary: 'Records the worker could not store (Postgres refused their data) and conflicting duplicates, each with why (admin scope)',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          description: 'most records listed, 1-1000 (default 100)',
          schema: { type: 'integer', minimum: 1, maximum: 1000 },
        },
      ],
      responses: {
        200: { description: 'newest first, with the total', ...json(ref('DeadLetterList')) },
        422: error('validation_error: bad limit'),
      },
    },
  },
  '/v1/admin/dead-letters/purge': {
    post: {
      summary: 'Delete every dead-lettered record (admin scope)',
      responses: {
        200: { description: 'how many were deleted', ...json({ type: 'object', properties: { purged: { type: 'integer' } } }) },
      },
    },
  },
  '/v1/admin/dead-letters/{id}': {
    get: {
      summary: 'One dead-lettered record, as it was queued, with its reason (admin scope)',
      parameters: [id],
      responses: { 200: { description: 'the record', ...json(ref('DeadLetterDetail')) }, 404: unknown, 422: badId },
    },
    delete: {
      summary: 'Delete one dead-lettered record (admin scope)',
      parameters: [id],
      responses: { 204: { description: 'deleted' }, 404: unknown, 422: badId },
    },
  },
  '/v1/admin/dead-letters/{id}/retry': {
    post: {
      summary:
        'Queue one dead-lettered record again, as a batch of its own with its receivedAt and ingesting key; ' +
        'it leaves the dead letter, and comes back if refused again (admin scope)',
      parameters: [id],
      responses: {
        202: { description: 'queued', ...json({ type: 'object', properties: { retried: { type: 'integer' }, id: { type: 'string' } } }) },
        404: unknown,
        422: badId,
      },
    },
  },
};

const nullableString = { type: ['string', 'null'] };
const DEAD_LETTER = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    requestId: { ...nullableString, description: 'as sent' },
    timestamp: { ...nullableString, description: 'as sent' },
    reason: {
      type: 'string',
      enum: ['data_exception', 'integrity_constraint_violation', 'program_limit_exceeded', 'conflicting_duplicate'],
    },
    sqlstate: { ...nullableString, description: "Postgres's SQLSTATE; null for a conflicting duplicate" },
    message: { type: 'string', description: "Postgres's message, or what the record conflicts with" },
    jobId: nullableString,
    receivedAt: { type: 'string', format: 'date-time' },
    ingestKeyId: { ...nullableString, description: 'id of the API key that ingested the record' },
    firstSeenAt: { type: 'string', format: 'date-time' },
  },
};

export const DEAD_LETTER_SCHEMAS = {
  DeadLetter: DEAD_LETTER,
  DeadLetterList: { type: 'object', properties: { total: { type: 'integer' }, records: { type: 'array', items: ref('DeadLetter') } } },
  DeadLetterDetail: {
    allOf: [ref('DeadLetter'), { type: 'object', properties: { record: { description: 'the record as it was queued' } } }],
  },
};
