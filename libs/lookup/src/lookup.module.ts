import { Module } from '@nestjs/common';
import { RequestStoreModule } from '#libs/request-store';
import { LookupController } from './lookup.controller.js';
import { LookupService } from './lookup.service.js';

@Module({ imports: [RequestStoreModule], controllers: [LookupController], providers: [LookupService], exports: [LookupService] })
export class LookupModule {}
