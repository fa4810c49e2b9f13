import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { INGEST_QUEUE, type IngestJobData, IngestJobProducer, PRODUCER_CONFIG, type ProducerConfig } from '#libs/queue';
import { Redactor, RedactionModule } from '#libs/redaction';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

const producer = {
  provide: IngestJobProducer,
  inject: [getQueueToken(INGEST_QUEUE), Redactor, PRODUCER_CONFIG.token],
  useFactory: (queue: Queue<IngestJobData>, redactor: Redactor, settings: ProducerConfig) => new IngestJobProducer(queue, redactor, settings),
};

/** HTTP ingest. The app must create Nest with `bodyParser: false`: this module reads the raw body itself. */
@Module({ imports: [RedactionModule], controllers: [IngestController], providers: [producer, IngestService], exports: [IngestService] })
export class IngestModule {}
