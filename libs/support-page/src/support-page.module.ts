import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SUPPORT_PAGE_CSP, SUPPORT_PAGE_HTML } from './support-page.html.js';

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
  // Only the page's own inline script and style (by hash) and same-origin API calls: no CDN, no framing,
  // no form posts elsewhere, and no injected script even if markup slipped in.
  res.setHeader('Content-Security-Policy', SUPPORT_PAGE_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.end(SUPPORT_PAGE_HTML);
}
