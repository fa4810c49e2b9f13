import { type LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigModule } from '#libs/config';
import { configureHttpApp } from '#libs/http-errors';
import { WORKER_CONFIG_SLICES, type WorkerConfig } from './worker.config.js';
import { WorkerModule } from './worker.module.js';

/** Builds the worker app for a validated configuration; main.ts and the tests share it. */
export async function createWorkerApp(
  config: WorkerConfig,
  logger: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestExpressApplication> {
  @Module({ imports: [ConfigModule.forRoot(WORKER_CONFIG_SLICES, config), WorkerModule] })
  class WorkerRoot {}
  const app = await NestFactory.create<NestExpressApplication>(WorkerRoot, { bodyParser: false, logger });
  return configureHttpApp(app, config.http) as NestExpressApplication;
}
