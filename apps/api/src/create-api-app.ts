import { type LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setupApiDocs } from '#libs/api-docs';
import { ConfigModule } from '#libs/config';
import { configureHttpApp } from '#libs/http-errors';
import { API_CONFIG_SLICES, type ApiConfig } from './api.config.js';
import { ApiModule } from './api.module.js';

/** Builds the api app for a validated configuration; main.ts and the tests share it. */
export async function createApiApp(
  config: ApiConfig,
  logger: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestExpressApplication> {
  @Module({ imports: [ConfigModule.forRoot(API_CONFIG_SLICES, config), ApiModule] })
  class ApiRoot {}
  // bodyParser off: the ingest route reads raw bodies itself (size limit, NDJSON, gzip).
  const app = await NestFactory.create<NestExpressApplication>(ApiRoot, { bodyParser: false, logger });
  configureHttpApp(app, config.http);
  setupApiDocs(app);
  return app;
}
