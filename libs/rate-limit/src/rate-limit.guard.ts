import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticatedKeyOf, requiredScopeOf } from '#libs/auth';
import { RateLimited } from '#libs/errors';
import { closeIfBodyUnread } from '#libs/http-errors';
import { RateLimiter } from './rate-limiter.js';

/**
 * Runs after the auth guard (global guards run in the order their modules are imported: the app
 * imports AuthModule first), so it knows the caller's key: routes needing `logs:write` spend the
 * ingest budget, every other keyed route the query budget. Public routes (no key) are not limited.
 * A guard, not an interceptor: with no interceptor at all, Nest calls each handler directly instead of
 * through an rxjs chain in a bound async scope (~10% of the api's CPU on a lookup: docs/benchmarks.md).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const key = authenticatedKeyOf(req);
    if (!key) return true;
    const bucket = requiredScopeOf(this.reflector, context) === 'logs:write' ? 'ingest' : 'query';
    const decision = await this.limiter.check(bucket, key.id);
    if (decision.allowed) return true;
    closeIfBodyUnread(req.raw, context.switchToHttp().getResponse<FastifyReply>().raw);
    throw new RateLimited(decision.retryAfterSeconds, { limit: decision.limit, bucket });
  }
}
