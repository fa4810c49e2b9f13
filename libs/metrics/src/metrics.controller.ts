import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MetricsRenderer } from './metrics-renderer.js';

/** GET /metrics: this process's metrics for Prometheus (open without an API key, like health). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsRenderer) private readonly renderer: MetricsRenderer) {}

  @Get()
  async metrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    // 'close' before the answer is sent means the scraper hung up (it timed out, or gave up).
    let gone = req.socket.destroyed;
    res.once('close', () => (gone = true));
    const rendered = await this.renderer.render(req.header('accept'), () => gone);
    if (!rendered) return;
    // The same bytes go to every scraper of a render: no per-scrape encoding or ETag hashing (res.send).
    const gzip = /\bgzip\b/i.test(req.header('accept-encoding') ?? '');
    const bytes = gzip ? await rendered.gzip() : rendered.bytes;
    res
      .status(200)
      .setHeader('Content-Type', rendered.contentType)
      .setHeader('Vary', 'Accept-Encoding')
      .setHeader('Content-Length', bytes.length);
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.end(bytes);
  }
}
