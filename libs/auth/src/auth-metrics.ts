import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry, type RegistryContentType } from 'prom-client';
import { METRICS_REGISTRY } from '#libs/metrics';

/** Why the guard refused a request. */
export type AuthRefusal = 'missing_key' | 'invalid_key' | 'insufficient_scope' | 'too_many_failures';
/** What a Postgres lookup of a presented key found (`error`: Postgres did not answer). */
export type KeyLookupResult = 'found' | 'unknown' | 'revoked' | 'error';

/** Authentication counters, beside the component (both apps authenticate). */
@Injectable()
export class AuthMetrics {
  private readonly lookups: Counter;
  private readonly refusals: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry<RegistryContentType>) {
    this.lookups = new Counter({
      name: 'verilock_auth_key_lookups_total',
      help: 'Postgres lookups of presented API keys (keys in neither the valid-key nor the unknown-key cache), by result.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'verilock_auth_refusals_total',
      help: 'Requests the API-key guard refused: 401 missing_key / invalid_key, 403 insufficient_scope, 429 too_many_failures.',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  lookedUp(result: KeyLookupResult): void {
    this.lookups.inc({ result });
  }

  refused(reason: AuthRefusal): void {
    this.refusals.inc({ reason });
  }
}
