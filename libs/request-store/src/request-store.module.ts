import { Module } from '@nestjs/common';
import { PartitionMaintainer } from './partition-maintainer.js';
import { RequestLogRepository } from './request-log.repository.js';

/** The request_logs table: its repository, and (for the worker) its partition upkeep. */
@Module({ providers: [RequestLogRepository], exports: [RequestLogRepository] })
export class RequestStoreModule {
  static withPartitionUpkeep() {
    return { module: RequestStoreModule, providers: [RequestLogRepository, PartitionMaintainer], exports: [RequestLogRepository] };
  }
}
