import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { INGEST_QUEUE, type IngestJobData, IngestJobProducer, producerSettings } from '#libs/queue';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

const producer = {
  provide: IngestJobProducer,
  inject: [getQueueToken(INGEST_QUEUE), APP_CONFIG],
  useFactory: (queue: Queue<IngestJobData>, config: AppConfig) => new IngestJobProducer(queue, producerSettings(config)),
};

/** HTTP ingest. The app must create Nest with `bodyParser: false`: this module reads the raw body itself. */
@Module({ controllers: [IngestController], providers: [producer, IngestService], exports: [IngestService] })
export class IngestModule {}
