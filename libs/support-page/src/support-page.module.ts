import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SUPPORT_PAGE_HTML } from './support-page.html.js';

/**
 * Serves the support page at GET /support. A middleware rather than a controller on purpose: the
 * page is a public shell that holds no data (it asks for a logs:read key and sends it on its own
 * API calls), so it must not sit behind the API-key guard that protects every controller route.
 */
@Module({})
export class SupportPageModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(serveSupportPage).forRoutes({ path: 'support', method: RequestMethod.GET });
  }
}

function serveSupportPage(_req: Request, res: Response): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // Everything is inline and same-origin: forbid anything else (no CDN, no framing, no form posts elsewhere).
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
  );
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.end(SUPPORT_PAGE_HTML);
}
