import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticatedKeyOf, RequireScope } from '#libs/auth';
import { mapOtlp } from '#libs/log-formats';
import { exportLogsAnswer, otlpEncoding, otlpLogLines } from '#libs/otlp-logs';
import { TimeSlicer } from '#libs/queue';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config.js';
import { IngestService } from './ingest.service.js';
import { mapCandidates } from './map-candidates.js';
import { readBody } from './read-body.js';

/** The `source` label and job origin of records that came in over OTLP: the one place it is named. */
const OTLP_SOURCE = 'otlp';
const NOTHING = { accepted: 0, rejected: [], rejectedCount: 0 };

/**
 * POST /otlp/v1/logs: OTLP/HTTP logs (protobuf or JSON, gzip), so a Collector's `otlphttp` exporter with
 * `endpoint: https://<host>/otlp` (it appends /v1/logs) or an SDK's OTLP log exporter can send here.
 * The path is not /v1/logs: that one reads our own record, and an `application/json` body could be
 * either. Same key, limits, validation, redaction and backpressure as /v1/logs (the same IngestService);
 * only the reading and the answer differ: 200 with an ExportLogsServiceResponse in the request's
 * encoding, `partial_success` counting the rejected records (docs/sources.md#otlp).
 */
@Controller('otlp/v1/logs')
export class OtlpLogsController {
  constructor(
    private readonly ingest: IngestService,
    @Inject(INGEST_CONFIG.token) private readonly config: IngestConfig,
  ) {}

  @Post()
  @RequireScope('logs:write')
  async post(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const { maxBodyBytes, maxRecordsPerRequest } = this.config;
    // The media type is checked before the body is read: a wrong one costs the client no upload.
    const encoding = otlpEncoding(req.headers['content-type']);
    const body = await readBody(req.raw, maxBodyBytes);
    const slicer = new TimeSlicer();
    const lines = await otlpLogLines(body, encoding, maxRecordsPerRequest, slicer);
    // An empty export is valid OTLP (nothing to reject); IngestService would call it a batch without a valid record.
    const outcome =
      lines.count === 0
        ? NOTHING
        : await this.ingest.ingest(
            OTLP_SOURCE,
            mapCandidates(lines.candidates, mapOtlp),
            { receivedAt: new Date(), source: OTLP_SOURCE, ingestKeyId: authenticatedKeyOf(req)?.id ?? null },
            slicer,
          );
    const answer = exportLogsAnswer(encoding, outcome);
    void res.code(200).type(answer.contentType).send(answer.body);
  }
}
