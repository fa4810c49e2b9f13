import { type LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, ConfigModule } from '#libs/config';
import { configureHttpApp } from '#libs/http-errors';
import { WorkerModule } from './worker.module.js';

/** Builds the worker app for a validated configuration; main.ts and the tests share it. */
export async function createWorkerApp(
  config: AppConfig,
  logger: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestExpressApplication> {
  @Module({ imports: [ConfigModule.forRoot(config), WorkerModule] })
  class WorkerRoot {}
  const app = await NestFactory.create<NestExpressApplication>(WorkerRoot, { bodyParser: false, logger });
  return configureHttpApp(app, config) as NestExpressApplication;
}
