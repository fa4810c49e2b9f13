import { Module } from '@nestjs/common';
import { StoreModule } from '#libs/store';
import { LookupController } from './lookup.controller.js';
import { LookupService } from './lookup.service.js';

@Module({ imports: [StoreModule], controllers: [LookupController], providers: [LookupService], exports: [LookupService] })
export class LookupModule {}
