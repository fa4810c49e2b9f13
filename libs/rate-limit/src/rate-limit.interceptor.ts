import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { authenticatedKeyOf, requiredScopeOf } from '#libs/auth';
import { RateLimited } from '#libs/errors';
import { closeIfBodyUnread } from '#libs/http-errors';
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
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const key = authenticatedKeyOf(req);
    if (key) {
      const bucket = requiredScopeOf(this.reflector, context) === 'logs:write' ? 'ingest' : 'query';
      const decision = await this.limiter.check(bucket, key.id);
      if (!decision.allowed) {
        closeIfBodyUnread(req.raw, context.switchToHttp().getResponse<FastifyReply>().raw);
        throw new RateLimited(decision.retryAfterSeconds, { limit: decision.limit, bucket });
      }
    }
    return next.handle();
  }
}
