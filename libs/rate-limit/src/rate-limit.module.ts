import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { WindowCounterModule } from '#libs/window-counter';
import { RateLimitInterceptor } from './rate-limit.interceptor.js';
import { RateLimiter } from './rate-limiter.js';

/** Per-key rate limits on every keyed route of the app that imports it. Needs AuthModule in the app. */
@Module({
  imports: [WindowCounterModule],
  providers: [RateLimiter, { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor }],
  exports: [RateLimiter],
})
export class RateLimitModule {}
