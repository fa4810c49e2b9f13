import { type LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupApiDocs } from '#libs/api-docs';
import { ConfigModule } from '#libs/config';
import { configureHttpApp, createHttpAdapter, readyHttpApp } from '#libs/http-errors';
import { API_CONFIG_SLICES, type ApiConfig } from './api.config.js';
import { ApiModule } from './api.module.js';

/** Builds the api app for a validated configuration, ready to listen or serve; main.ts and the tests share it. */
export async function createApiApp(
  config: ApiConfig,
  logger: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestFastifyApplication> {
  @Module({ imports: [ConfigModule.forRoot(API_CONFIG_SLICES, config), ApiModule] })
  class ApiRoot {}
  // bodyParser off: the ingest route reads raw bodies itself (size limit, NDJSON, gzip).
  const app = await NestFactory.create<NestFastifyApplication>(ApiRoot, createHttpAdapter(config.http), { bodyParser: false, logger });
  configureHttpApp(app, config.http);
  setupApiDocs(app);
  return readyHttpApp(app);
}
