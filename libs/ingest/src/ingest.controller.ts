import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { authenticatedKeyOf, RequireScope } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { SourceHealth } from '#libs/ingest-sources';
import { selectFormat } from '#libs/log-formats';
import { type Candidate, TimeSlicer } from '#libs/queue';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config.js';
import { IngestResult, IngestService } from './ingest.service.js';
import { mapCandidates } from './map-candidates.js';
import { parseBatch } from './parse-batch.js';
import { readBody } from './read-body.js';

/**
 * POST /v1/logs: a batch of access-log records as a JSON array, `{"records": [...]}`, or NDJSON; with
 * `?format=nginx|envoy|kong|generic` each element is a source's own log line, mapped by its preset
 * (libs/log-formats, docs/sources.md) before the same validation.
 */
@Controller('v1/logs')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly health: SourceHealth,
    @Inject(INGEST_CONFIG.token) private readonly config: IngestConfig,
  ) {}

  @Post()
  @RequireScope('logs:write')
  @HttpCode(202)
  async post(@Req() req: FastifyRequest): Promise<IngestResult> {
    const { maxBodyBytes, maxRecordsPerRequest } = this.config;
    // The query is checked before the body is read: a wrong format costs the client no upload.
    const { format, mapper } = selectFormat(req.query as Record<string, unknown>);
    const source = format === 'verilock' ? 'record' : format;
    // One slicer for the whole request: decoding, parsing, validating and serialising share its turns.
    const slicer = new TimeSlicer();
    let body: Buffer | undefined;
    let parsed: Iterable<Candidate>;
    try {
      body = await readBody(req.raw, maxBodyBytes);
      // A source's lone object is one log line (Kong's http-log without batching); `{"records": …}` is ours.
      parsed = await parseBatch(body, req.headers['content-type'], maxRecordsPerRequest, slicer, format !== 'verilock');
    } catch (err) {
      // A body refused whole is the likeliest "why is nothing showing up?": its source's admin view says why.
      if (err instanceof DomainError) this.health.observeRefusedRequest(source, err, body);
      throw err;
    }
    const candidates = mapper === undefined ? parsed : mapCandidates(parsed, mapper);
    return this.ingest.ingest(
      source,
      candidates,
      { receivedAt: new Date(), source: 'http', ingestKeyId: authenticatedKeyOf(req)?.id ?? null },
      slicer,
    );
  }
}
