import { z } from 'zod';
import type { AnyConfigSlice, ComposedConfig } from './config-slice.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Names of every environment variable these slices read. */
export function configVariables(slices: readonly AnyConfigSlice[]): string[] {
  return distinct(slices).flatMap((slice) => Object.keys(slice.variables as object));
}

/**
 * Validates the environment for every slice of an app in one pass, naming every bad variable at the
 * same time, and composes `{ [slice.key]: its object }`. Empty variables count as unset. Two slices
 * reading the same variable (or sharing a key) are a programming error, refused before any parsing:
 * each variable has one owner.
 */
export function loadConfig<const Slices extends readonly AnyConfigSlice[]>(
  slices: Slices,
  env: Record<string, string | undefined>,
): ComposedConfig<Slices> {
  const unique = distinct(slices);
  refuseOverlaps(unique);
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const slice of unique) {
    const parsed = z.object(slice.variables).safeParse(defined);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
      continue;
    }
    const failed = slice.checks.filter((check) => !check.holds(parsed.data));
    problems.push(...failed.map((check) => `${check.variable}: ${check.message}`));
    if (failed.length === 0) config[slice.key] = slice.build(parsed.data);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ComposedConfig<Slices>;
}

/** The same slice listed twice (an app and a lib both naming it) is one slice. */
function distinct(slices: readonly AnyConfigSlice[]): AnyConfigSlice[] {
  return [...new Set(slices)];
}

function refuseOverlaps(slices: readonly AnyConfigSlice[]): void {
  const owners = new Map<string, string>();
  for (const slice of slices) {
    for (const name of [`slice key ${slice.key}`, ...Object.keys(slice.variables as object)]) {
      const owner = owners.get(name);
      if (owner !== undefined)
        throw new Error(`config slices "${owner}" and "${slice.key}" both declare ${name}: each variable has one owner`);
      owners.set(name, slice.key);
    }
  }
}
