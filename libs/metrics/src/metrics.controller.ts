import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MetricsRenderer } from './metrics-registry.js';

/** GET /metrics: this process's metrics for Prometheus (open without an API key, like health). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsRenderer) private readonly renderer: MetricsRenderer) {}

  @Get()
  async metrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { contentType, body } = await this.renderer.render(req.header('accept'));
    res.status(200).setHeader('Content-Type', contentType);
    res.send(body);
  }
}
