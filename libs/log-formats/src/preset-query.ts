import { InvalidInput } from '#libs/errors';
import { mapEnvoy } from './envoy.preset.js';
import { type GenericMapping, genericMapper, RECORD_FIELDS, type TimeUnit } from './generic.preset.js';
import { mapKong } from './kong.preset.js';
import type { LogMapper } from './mapped-record.js';
import { mapNginx } from './nginx.preset.js';

export const LOG_FORMATS = ['verilock', 'nginx', 'envoy', 'kong', 'generic'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const FIXED_PRESETS: Record<Exclude<LogFormat, 'verilock' | 'generic'>, LogMapper> = { nginx: mapNginx, envoy: mapEnvoy, kong: mapKong };
const UNITS: readonly TimeUnit[] = ['s', 'ms'];
/** Bounds on a generic field map, so a query string cannot make every record cost more than a few lookups. */
export const MAX_QUERY_PARAMETERS = RECORD_FIELDS.length + 3;
export const MAX_MAP_PATH_DEPTH = 8;
export const MAX_MAP_PATH_LENGTH = 256;

export interface SelectedFormat {
  format: LogFormat;
  /** How each parsed value becomes a record candidate; absent for `verilock`, whose values already are records. */
  mapper?: LogMapper;
}

/**
 * The format a `POST /v1/logs` query string asks for (`?format=…`, default `verilock`) and, for
 * `generic`, its field map (`map.<field>=<dotted.path>`, `durationUnit`, `timestampUnit`). Any other
 * parameter, a repeated one, or a bad value: InvalidInput naming each.
 */
export function selectFormat(query: Record<string, unknown>): SelectedFormat {
  const errors: Record<string, string[]> = {};
  const fail = (name: string, message: string) => (errors[name] ??= []).push(message);
  const names = Object.keys(query);
  if (names.length > MAX_QUERY_PARAMETERS) {
    throw new InvalidInput({ query: [`must have at most ${MAX_QUERY_PARAMETERS} parameters`] }, 'Too many query parameters.');
  }
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (typeof value === 'string') return value;
    if (value !== undefined) fail(name, 'must be given once');
    return undefined;
  };
  const format = (single('format') ?? 'verilock') as LogFormat;
  if (!LOG_FORMATS.includes(format)) fail('format', `must be one of ${LOG_FORMATS.join(', ')}`);
  const generic = format === 'generic';
  const mapping: GenericMapping = {
    paths: Object.fromEntries(RECORD_FIELDS.map((field) => [field, [field]])) as GenericMapping['paths'],
    durationUnit: 'ms',
    timestampUnit: 's',
  };
  for (const name of names) {
    if (name === 'format') continue;
    const value = single(name);
    if (!generic)
      fail(name, `is not a known parameter${name.startsWith('map.') || name.endsWith('Unit') ? ' (only with format=generic)' : ''}`);
    else if (name === 'durationUnit' || name === 'timestampUnit') {
      if (value !== undefined && !UNITS.includes(value as TimeUnit)) fail(name, `must be one of ${UNITS.join(', ')}`);
      else if (value !== undefined) mapping[name] = value as TimeUnit;
    } else if (name.startsWith('map.') && RECORD_FIELDS.includes(name.slice(4) as keyof GenericMapping['paths'])) {
      const path = value?.split('.') ?? [];
      if (value === undefined) continue;
      if (value.length > MAX_MAP_PATH_LENGTH || path.length > MAX_MAP_PATH_DEPTH || path.some((key) => key === '')) {
        fail(name, `must be a dotted path of at most ${MAX_MAP_PATH_DEPTH} non-empty keys and ${MAX_MAP_PATH_LENGTH} characters`);
      } else mapping.paths[name.slice(4) as keyof GenericMapping['paths']] = path;
    } else fail(name, `is not a known parameter (map.<field> takes one of ${RECORD_FIELDS.join(', ')})`);
  }
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors, 'The query string does not name a usable log format.');
  if (format === 'verilock') return { format };
  return { format, mapper: generic ? genericMapper(mapping) : FIXED_PRESETS[format] };
}
