import { SetMetadata } from '@nestjs/common';
import type { Scope } from './scopes.js';

export const REQUIRED_SCOPE = 'verilock:required-scope';
export const IS_PUBLIC = 'verilock:public';

/** The scope a route needs; routes without it need `logs:read` (default deny for anonymous callers). */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

/** A route anyone may call without a key. Prefer AUTH_PUBLIC_PATHS for whole path families. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
