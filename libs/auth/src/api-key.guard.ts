import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { ApiError } from '#libs/http-errors';
import { IS_PUBLIC, REQUIRED_SCOPE } from './auth.decorators.js';
import { AuthenticatedKey, Authenticator } from './authenticator.js';
import { isPublicPath, publicPathPrefixes } from './public-paths.js';
import { grants, type Scope } from './scopes.js';

export const API_KEY_HEADER = 'X-API-Key';
const DEFAULT_SCOPE: Scope = 'logs:read';

type KeyedRequest = Request & { apiKey?: AuthenticatedKey };

/** The key a request was authenticated with (set by the guard), for rate limits and audit. */
export function authenticatedKeyOf(req: Request): AuthenticatedKey | undefined {
  return (req as KeyedRequest).apiKey;
}

/** The scope a handler requires, as the guard sees it ('public' for open routes). */
export function requiredScopeOf(reflector: Reflector, context: ExecutionContext): Scope {
  return reflector.getAllAndOverride<Scope>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]) ?? DEFAULT_SCOPE;
}

/**
 * Global, default-deny: every route needs a key with `logs:read` unless it says otherwise
 * (@RequireScope / @Public) or sits under a public path prefix. 401 missing/invalid/revoked, 403 scope.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly publicPrefixes: string[];

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicPrefixes = publicPathPrefixes(config.auth);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic || isPublicPath(req.path, this.publicPrefixes)) return true;

    const presented = req.header(API_KEY_HEADER);
    const key = presented ? await this.authenticator.authenticate(presented) : undefined;
    if (!key) {
      throw new ApiError(401, 'unauthorized', 'The API key is missing, invalid, or has been revoked. Check your X-API-Key header.', {
        header: API_KEY_HEADER,
      });
    }
    const required = requiredScopeOf(this.reflector, context);
    if (!grants(key.scopes, required)) {
      throw new ApiError(403, 'forbidden', `The API key does not have the "${required}" scope this action needs.`, {
        required_scope: required,
        key_scopes: key.scopes,
      });
    }
    req.apiKey = key;
    return true;
  }
}
