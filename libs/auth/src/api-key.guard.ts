import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, closeIfBodyUnread } from '#libs/http-errors';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthMetrics } from './auth-metrics.js';
import { REQUIRED_SCOPE } from './auth.decorators.js';
import { AuthenticatedKey, Authenticator } from './authenticator.js';
import { clientKeyOf } from './client-address.js';
import { isPublicPath, publicPathPrefixes } from './public-paths.js';
import { grants, type Scope } from './scopes.js';

export const API_KEY_HEADER = 'X-API-Key';
const DEFAULT_SCOPE: Scope = 'logs:read';

type KeyedRequest = FastifyRequest & { apiKey?: AuthenticatedKey };

/** The key a request was authenticated with (set by the guard), for rate limits and audit. */
export function authenticatedKeyOf(req: FastifyRequest): AuthenticatedKey | undefined {
  return (req as KeyedRequest).apiKey;
}

/** The scope a handler requires, as the guard sees it ('public' for open routes). */
export function requiredScopeOf(reflector: Reflector, context: ExecutionContext): Scope {
  return reflector.getAllAndOverride<Scope>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]) ?? DEFAULT_SCOPE;
}

/**
 * Global, default-deny: every route needs a key with `logs:read` unless it says otherwise
 * (@RequireScope) or sits under a public path prefix. 401 missing/invalid/revoked, 403 scope,
 * 429 for a client with too many failed authentications. Guards run before any handler reads the body,
 * so a refused request's body is never read, and its connection is closed after the answer.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly publicPrefixes: string[];

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly metrics: AuthMetrics,
    @Inject(AUTH_CONFIG.token) config: AuthConfig,
  ) {
    this.publicPrefixes = publicPathPrefixes(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    if (isPublicPath(pathOf(req.url), this.publicPrefixes)) return true;

    try {
      req.apiKey = await this.admit(req, requiredScopeOf(this.reflector, context));
      return true;
    } catch (err) {
      closeIfBodyUnread(req.raw, context.switchToHttp().getResponse<FastifyReply>().raw);
      throw err;
    }
  }

  private async admit(req: FastifyRequest, required: Scope): Promise<AuthenticatedKey> {
    // Node joins a repeated header into one string (only Set-Cookie stays a list).
    const presented = req.headers[API_KEY_HEADER.toLowerCase()] as string | undefined;
    const key = presented ? await this.authenticator.authenticate(presented, clientKeyOf(req.ip)) : undefined;
    if (!key) {
      this.metrics.refused(presented ? 'invalid_key' : 'missing_key');
      throw new ApiError(401, 'unauthorized', 'The API key is missing, invalid, or has been revoked. Check your X-API-Key header.', {
        header: API_KEY_HEADER,
      });
    }
    if (!grants(key.scopes, required)) {
      this.metrics.refused('insufficient_scope');
      throw new ApiError(403, 'forbidden', `The API key does not have the "${required}" scope this action needs.`, {
        required_scope: required,
        key_scopes: key.scopes,
      });
    }
    return key;
  }
}

/** The request target's path, without its query (what public path prefixes are matched against). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
