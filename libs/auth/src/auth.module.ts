import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { Authenticator } from './authenticator.js';

/** API-key authentication for every route of the app that imports it (a global guard). Needs DatabaseModule. */
@Module({
  providers: [ApiKeyRepository, Authenticator, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeyRepository, Authenticator],
})
export class AuthModule {}
