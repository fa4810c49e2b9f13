import { SetMetadata } from '@nestjs/common';
import type { Scope } from './scopes.js';

export const REQUIRED_SCOPE = 'verilock:required-scope';

/** The scope a route needs; routes without it need `logs:read` (default deny for anonymous callers). */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);
