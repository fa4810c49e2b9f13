import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { authenticatedKeyOf, RequireScope } from '#libs/auth';
import { TimeSlicer } from '#libs/queue';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config.js';
import { IngestResult, IngestService } from './ingest.service.js';
import { parseBatch } from './parse-batch.js';
import { readBody } from './read-body.js';

/** POST /v1/logs: a batch of access-log records as a JSON array, `{"records": [...]}`, or NDJSON. */
@Controller('v1/logs')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    @Inject(INGEST_CONFIG.token) private readonly config: IngestConfig,
  ) {}

  @Post()
  @RequireScope('logs:write')
  @HttpCode(202)
  async post(@Req() req: Request): Promise<IngestResult> {
    const { maxBodyBytes, maxRecordsPerRequest } = this.config;
    const body = await readBody(req, maxBodyBytes);
    // One slicer for the whole request: decoding, parsing, validating and serialising share its turns.
    const slicer = new TimeSlicer();
    const candidates = await parseBatch(body, req.header('content-type'), maxRecordsPerRequest, slicer);
    return this.ingest.ingest(
      candidates,
      { receivedAt: new Date(), source: 'http', ingestKeyId: authenticatedKeyOf(req)?.id ?? null },
      slicer,
    );
  }
}
