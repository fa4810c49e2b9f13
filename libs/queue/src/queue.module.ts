import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { INGEST_QUEUE, ingestJobOptions } from './ingest-queue.js';
import { QueueHealth } from './queue-health.js';
import { ConnectionRole, redisConnection } from './redis-connection.js';

/** BullMQ wiring for the ingest queue; `role` picks fail-fast (producer) or patient (consumer) connections. */
@Module({})
export class QueueModule {
  static register(role: ConnectionRole): DynamicModule {
    const root = BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: redisConnection(config.redis.url, role),
        prefix: config.queue.prefix,
      }),
    });
    const queue = BullModule.registerQueueAsync({
      name: INGEST_QUEUE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ defaultJobOptions: ingestJobOptions(config) }),
    });
    return {
      module: QueueModule,
      global: true,
      imports: [root, queue],
      providers: [QueueHealth],
      exports: [queue, QueueHealth],
    };
  }
}
