import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MetricsRenderer } from './metrics-renderer.js';

/** GET /metrics: this process's metrics for Prometheus (open without an API key, like health). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsRenderer) private readonly renderer: MetricsRenderer) {}

  @Get()
  async metrics(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // 'close' before the answer is sent means the scraper hung up (it timed out, or gave up).
    let gone = req.raw.socket.destroyed;
    reply.raw.once('close', () => (gone = true));
    const accept = req.headers.accept;
    const rendered = await this.renderer.render(accept, () => gone);
    if (!rendered) return;
    // The same bytes go to every scraper of a render: a Buffer is sent as it is, with no per-scrape encoding.
    const gzip = /\bgzip\b/i.test(req.headers['accept-encoding'] ?? '');
    const bytes = gzip ? await rendered.gzip() : rendered.bytes;
    reply.code(200).header('Content-Type', rendered.contentType).header('Vary', 'Accept-Encoding');
    if (gzip) reply.header('Content-Encoding', 'gzip');
    void reply.send(bytes);
  }
}
