import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { WindowCounterModule } from '#libs/window-counter';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { AuthMetrics } from './auth-metrics.js';
import { Authenticator } from './authenticator.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';

/**
 * API-key authentication for every route of the app that imports it (a global guard). Needs
 * DatabaseModule and MetricsModule in the app.
 */
@Module({
  imports: [WindowCounterModule],
  providers: [ApiKeyRepository, AuthMetrics, FailedAuthLimiter, Authenticator, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeyRepository, Authenticator],
})
export class AuthModule {}
