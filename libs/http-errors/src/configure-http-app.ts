import type { INestApplication } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import type { HttpConfig } from './http.config.js';
import { requestIdMiddleware } from './request-id.middleware.js';
import { securityHeadersMiddleware } from './security-headers.middleware.js';
import { applyServerLimits } from './server-limits.js';

/** The HTTP conventions every app of this service shares; main.ts files and tests call it alike. */
export function configureHttpApp(app: INestApplication, http: HttpConfig): INestApplication {
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  express.disable('x-powered-by');
  // No ETag: every answer is Cache-Control: no-store (security-headers.middleware.ts), so nothing
  // revalidates, and Express would SHA-1 every JSON body to make one (~190 KB for a day of 1m error rates).
  express.disable('etag');
  applyServerLimits(app, http);
  app.use(requestIdMiddleware);
  app.use(securityHeadersMiddleware);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  return app;
}
