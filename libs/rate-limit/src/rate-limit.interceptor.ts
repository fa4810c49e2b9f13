import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { authenticatedKeyOf, requiredScopeOf } from '#libs/auth';
import { ApiError } from '#libs/http-errors';
import { RateLimiter } from './rate-limiter.js';

/**
 * Runs after the auth guard, so it knows the caller's key: routes needing `logs:write` spend the
 * ingest budget, every other keyed route the query budget. Public routes (no key) are not limited.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const key = context.getType() === 'http' ? authenticatedKeyOf(context.switchToHttp().getRequest<Request>()) : undefined;
    if (key) {
      const bucket = requiredScopeOf(this.reflector, context) === 'logs:write' ? 'ingest' : 'query';
      const decision = await this.limiter.check(bucket, key.id);
      if (!decision.allowed) {
        const seconds = decision.retryAfterSeconds;
        throw new ApiError(429, 'rate_limit_exceeded', `Too many requests. Please retry after ${seconds} seconds.`, {
          retry_after: seconds,
          limit: decision.limit,
          bucket,
        }, { 'Retry-After': String(seconds) });
      }
    }
    return next.handle();
  }
}
