import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { serviceUnavailable } from '#libs/http-errors';
import { ApiKeyRepository } from './api-key.repository.js';
import { digestOf, digestsEqual } from './key-material.js';

/** The caller a valid key identifies: what guards and rate limits key on. Never holds the key. */
export interface AuthenticatedKey {
  id: string;
  name: string;
  scopes: string[];
}

export const BOOTSTRAP_KEY_ID = 'bootstrap-admin';
const MAX_CACHED_KEYS = 10_000;

/** Resolves a presented X-API-Key to its key, or undefined for unknown and revoked keys. */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);
  private readonly bootstrapDigest?: Buffer;
  /**
   * Keys verified recently, by digest: re-read from Postgres after AUTH_CACHE_SECONDS (so a revocation
   * takes at most that long), but used past it while Postgres is unreachable. Only valid keys are
   * cached, so random keys cannot fill it.
   */
  private readonly verified = new Map<string, { key: AuthenticatedKey; at: number }>();

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const bootstrap = config.auth.bootstrapAdminKey;
    this.bootstrapDigest = bootstrap ? digestOf(bootstrap) : undefined;
  }

  async authenticate(presented: string): Promise<AuthenticatedKey | undefined> {
    const digest = digestOf(presented);
    // The bootstrap key needs no database, so automated set-ups work before any key exists.
    if (this.bootstrapDigest && digestsEqual(digest, this.bootstrapDigest)) {
      return { id: BOOTSTRAP_KEY_ID, name: 'bootstrap admin (BOOTSTRAP_ADMIN_KEY)', scopes: ['admin'] };
    }
    const cacheKey = digest.toString('hex');
    const cached = this.verified.get(cacheKey);
    if (cached && Date.now() - cached.at < this.config.auth.cacheSeconds * 1000) return cached.key;
    let found;
    try {
      found = await this.keys.findByDigest(digest);
    } catch (err) {
      // Postgres away: a key verified before keeps working, so ingest (which needs only Redis) goes on.
      if (cached) return cached.key;
      this.logger.warn(`cannot verify an API key: ${(err as Error).message}`);
      throw serviceUnavailable('API keys cannot be verified right now. Retry later.', this.config.ingest.retryAfterSeconds);
    }
    if (!found || found.revokedAt !== null || !digestsEqual(digest, found.digest)) {
      this.verified.delete(cacheKey);
      return undefined;
    }
    const key = { id: found.id, name: found.name, scopes: found.scopes };
    if (this.verified.size >= MAX_CACHED_KEYS) this.verified.clear();
    this.verified.set(cacheKey, { key, at: Date.now() });
    return key;
  }
}
