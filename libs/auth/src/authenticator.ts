import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { serviceUnavailable } from '#libs/http-errors';
import { ApiKeyRepository } from './api-key.repository.js';
import { AuthMetrics } from './auth-metrics.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import { digestOf, digestsEqual } from './key-material.js';
import { RecentSet } from './recent-set.js';

/** The caller a valid key identifies: what guards and rate limits key on. Never holds the key. */
export interface AuthenticatedKey {
  id: string;
  name: string;
  scopes: string[];
}

export const BOOTSTRAP_KEY_ID = 'bootstrap-admin';
const MAX_CACHED_KEYS = 10_000;
/** Unknown/revoked digests remembered per process (~1 MB at most), each for AUTH_UNKNOWN_KEY_CACHE_SECONDS. */
const MAX_UNKNOWN_KEYS = 10_000;

interface CachedKey {
  key: AuthenticatedKey;
  at: number;
}

/**
 * Resolves a presented X-API-Key to its key, or undefined for unknown and revoked keys. A wrong key
 * costs at most one Postgres query per digest per AUTH_UNKNOWN_KEY_CACHE_SECONDS (concurrent requests
 * with the same digest share one query), and a client that keeps failing is stopped by
 * FailedAuthLimiter before it costs any.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);
  private readonly bootstrapDigest?: Buffer;
  /**
   * Keys verified recently, by digest: re-read from Postgres after AUTH_CACHE_SECONDS (so a revocation
   * takes at most that long), but used past it while Postgres is unreachable. Only valid keys are
   * cached, so random keys cannot fill it.
   */
  private readonly verified = new Map<string, CachedKey>();
  private readonly unknown: RecentSet;
  private readonly inFlight = new Map<string, Promise<AuthenticatedKey | undefined>>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly failures: FailedAuthLimiter,
    private readonly metrics: AuthMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const bootstrap = config.auth.bootstrapAdminKey;
    this.bootstrapDigest = bootstrap ? digestOf(bootstrap) : undefined;
    this.unknown = new RecentSet(config.auth.unknownKeyCacheSeconds * 1000, MAX_UNKNOWN_KEYS);
  }

  /** `client` is who failures count against (clientKeyOf); throws 429 when it has none left, 503 without Postgres. */
  async authenticate(presented: string, client: string): Promise<AuthenticatedKey | undefined> {
    const digest = digestOf(presented);
    // The bootstrap key needs no database, so automated set-ups work before any key exists.
    if (this.bootstrapDigest && digestsEqual(digest, this.bootstrapDigest)) {
      return { id: BOOTSTRAP_KEY_ID, name: 'bootstrap admin (BOOTSTRAP_ADMIN_KEY)', scopes: ['admin'] };
    }
    const cacheKey = digest.toString('hex');
    const cached = this.verified.get(cacheKey);
    if (cached && Date.now() - cached.at < this.config.auth.cacheSeconds * 1000) return cached.key;
    // A key verified before is re-checked whatever its client did: the limit stops guessing, not known keys.
    if (!cached) await this.failures.assertAllowed(client);
    const key = this.unknown.has(cacheKey) ? undefined : await this.lookUp(digest, cacheKey, cached);
    if (!key) await this.failures.recordFailure(client);
    return key;
  }

  private async lookUp(digest: Buffer, cacheKey: string, cached: CachedKey | undefined): Promise<AuthenticatedKey | undefined> {
    let pending = this.inFlight.get(cacheKey);
    if (!pending) {
      pending = this.queryKey(digest, cacheKey).finally(() => this.inFlight.delete(cacheKey));
      this.inFlight.set(cacheKey, pending);
    }
    try {
      return await pending;
    } catch (err) {
      // Postgres away: a key verified before keeps working, so ingest (which needs only Redis) goes on.
      if (cached) return cached.key;
      this.logger.warn(`cannot verify an API key: ${(err as Error).message}`);
      throw serviceUnavailable('API keys cannot be verified right now. Retry later.', this.config.ingest.retryAfterSeconds);
    }
  }

  private async queryKey(digest: Buffer, cacheKey: string): Promise<AuthenticatedKey | undefined> {
    let found;
    try {
      found = await this.keys.findByDigest(digest);
    } catch (err) {
      this.metrics.lookedUp('error');
      throw err;
    }
    if (!found || found.revokedAt !== null || !digestsEqual(digest, found.digest)) {
      this.metrics.lookedUp(found && found.revokedAt !== null ? 'revoked' : 'unknown');
      this.verified.delete(cacheKey);
      this.unknown.add(cacheKey);
      return undefined;
    }
    this.metrics.lookedUp('found');
    const key = { id: found.id, name: found.name, scopes: found.scopes };
    if (this.verified.size >= MAX_CACHED_KEYS) this.verified.clear();
    this.verified.set(cacheKey, { key, at: Date.now() });
    return key;
  }
}
