import { Module } from '@nestjs/common';
import { WindowCounter } from './window-counter.js';

/** Redis-backed fixed-window counters; one Redis connection per app, whichever libs count with it. */
@Module({ providers: [WindowCounter], exports: [WindowCounter] })
export class WindowCounterModule {}
