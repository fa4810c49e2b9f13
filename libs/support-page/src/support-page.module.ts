import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SUPPORT_PAGE_CSP, SUPPORT_PAGE_HTML } from './support-page.html.js';

/**
 * Serves the support page at GET /support. A route of the HTTP platform rather than a controller on
 * purpose: the page is a public shell that holds no data (it asks for a logs:read key and sends it on
 * its own API calls), so it must not sit behind the API-key guard that protects every controller route.
 */
@Module({})
export class SupportPageModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    this.adapterHost.httpAdapter.getInstance<FastifyInstance>().get('/support', (_request, reply) => {
      serveSupportPage(reply);
    });
  }
}

function serveSupportPage(reply: FastifyReply): void {
  void reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    // Only the page's own inline script and style (by hash) and same-origin API calls: no CDN, no framing,
    // no form posts elsewhere, and no injected script even if markup slipped in.
    .header('Content-Security-Policy', SUPPORT_PAGE_CSP)
    .header('Referrer-Policy', 'no-referrer')
    .send(SUPPORT_PAGE_HTML);
}
