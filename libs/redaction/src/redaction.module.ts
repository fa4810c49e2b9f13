import { Module } from '@nestjs/common';
import { Redactor } from './redactor.js';

@Module({ providers: [Redactor], exports: [Redactor] })
export class RedactionModule {}
