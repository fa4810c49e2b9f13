import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { setAnswerHeaders } from './http-adapter.js';
import type { HttpConfig } from './http.config.js';
import { applyServerLimits } from './server-limits.js';

/**
 * The HTTP conventions every app of this service shares (on the adapter of createHttpAdapter); main.ts
 * files and tests call it alike. No ETag and no X-Powered-By: Fastify sends neither (every answer is
 * Cache-Control: no-store, so nothing revalidates, and hashing each body would be wasted CPU).
 */
export function configureHttpApp(app: NestFastifyApplication, http: HttpConfig): NestFastifyApplication {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify reads no body: routes that take one (libs/ingest) read the raw stream themselves, so their
  // size, compression and format limits apply before anything is buffered. Any content type reaches
  // them; each route answers a type it does not take (415) itself.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _body, done) => done(null));
  fastify.addHook('onRequest', (request, reply, done) => {
    setAnswerHeaders(request, reply);
    done();
  });
  applyServerLimits(app, http);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  return app;
}

/**
 * Registers the routes and readies Fastify, so the app can listen, or serve supertest through
 * getHttpServer() (Fastify adds routes only when it boots). Call after configureHttpApp and any setup.
 */
export async function readyHttpApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
