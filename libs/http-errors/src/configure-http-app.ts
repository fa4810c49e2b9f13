import type { INestApplication } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { requestIdMiddleware } from './request-id.middleware.js';

/** The HTTP conventions every app of this service shares; main.ts files and tests call it alike. */
export function configureHttpApp(app: INestApplication): INestApplication {
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  express.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  return app;
}
