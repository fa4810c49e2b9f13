import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { WindowCounterModule } from '#libs/window-counter';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Per-key rate limits on every keyed route of the app that imports it. Needs AuthModule in the app,
 * imported before this module (its guard must run first: this one limits the key that guard admitted).
 */
@Module({
  imports: [WindowCounterModule],
  providers: [RateLimiter, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimiter],
})
export class RateLimitModule {}
