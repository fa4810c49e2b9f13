import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';

/** /health/live and /health/ready, mounted by both apps. Needs DatabaseModule and QueueModule in the app. */
@Module({ imports: [TerminusModule], controllers: [HealthController] })
export class HealthModule {}
