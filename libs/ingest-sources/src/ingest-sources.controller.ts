import { Controller, Get } from '@nestjs/common';
import { RequireScope } from '#libs/auth';
import { REJECTED_LINE_MAX_BYTES, REJECTED_LINES_PER_SOURCE } from '#libs/source-health';
import { SourceHealth } from './source-health.js';

/** "Why is nothing showing up?": each ingest source's counts, last-seen time and last rejected lines. Admin keys only. */
@Controller('v1/admin/ingest/sources')
@RequireScope('admin')
export class IngestSourcesController {
  constructor(private readonly health: SourceHealth) {}

  @Get()
  async list() {
    return {
      sources: await this.health.report(),
      limits: { rejected_lines_per_source: REJECTED_LINES_PER_SOURCE, rejected_line_max_bytes: REJECTED_LINE_MAX_BYTES },
    };
  }
}
