import { type LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigModule } from '#libs/config';
import { configureHttpApp, createHttpAdapter, readyHttpApp } from '#libs/http-errors';
import { WORKER_CONFIG_SLICES, type WorkerConfig } from './worker.config.js';
import { WorkerModule } from './worker.module.js';

/** Builds the worker app for a validated configuration, ready to listen or serve; main.ts and the tests share it. */
export async function createWorkerApp(
  config: WorkerConfig,
  logger: LogLevel[] = ['log', 'warn', 'error', 'fatal'],
): Promise<NestFastifyApplication> {
  @Module({ imports: [ConfigModule.forRoot(WORKER_CONFIG_SLICES, config), WorkerModule] })
  class WorkerRoot {}
  const app = await NestFactory.create<NestFastifyApplication>(WorkerRoot, createHttpAdapter(config.http), { bodyParser: false, logger });
  configureHttpApp(app, config.http);
  return readyHttpApp(app);
}
