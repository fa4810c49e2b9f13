import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { FILE_SOURCE_LIMITS } from './file-source.js';

export const SHIP_USAGE = `usage: VERILOCK_API_KEY=… npm run ship -- --file /var/log/nginx/api.json --format nginx [options]
  --format NAME        the lines' preset: nginx, envoy, kong, generic (docs/sources.md) or verilock (records as they are)
  --param NAME=VALUE   a generic field map parameter, repeatable: --param map.requestId=req_id --param durationUnit=s
  --sink http|queue    http (default): POST /v1/logs of the api at --url with VERILOCK_API_KEY (a logs:write key);
                       queue: the service's queue directly (REDIS_URL, QUEUE_PREFIX and the service's ingest settings)
  --url URL            the api (default VERILOCK_URL, else http://localhost:$API_PORT, 3000 when unset)
  --checkpoint PATH    where the position is kept (default .local/ship/<file name>-<hash of its path>.json)
  --batch N            records per batch (default ${FILE_SOURCE_LIMITS.batchSize})
  --max-line-bytes N   longer lines are skipped and counted (default ${FILE_SOURCE_LIMITS.maxLineBytes})
  --progress-seconds N how often the progress line is printed on stderr (default 10)`;

export interface ShipArgs {
  file: string;
  /** The query `selectFormat` reads: `format` and the generic map's parameters. */
  formatQuery: Record<string, string>;
  sink: 'http' | 'queue';
  url: string;
  checkpoint: string;
  batchSize?: number;
  maxLineBytes?: number;
  progressSeconds: number;
}

/** Parses `npm run ship`'s command line; throws with the usage text on anything unknown, missing or invalid. */
export function parseShipArgs(argv: string[], defaultUrl: string): ShipArgs {
  const values = new Map<string, string>();
  const params: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--help' || name === '-h') throw new Error(SHIP_USAGE);
    if (value === undefined) throw new Error(`${name} needs a value\n${SHIP_USAGE}`);
    if (name === '--param') {
      const [key, ...rest] = value.split('=');
      if (!key || rest.length === 0 || key === 'format') throw new Error(`--param takes NAME=VALUE (not format)\n${SHIP_USAGE}`);
      params[key] = rest.join('=');
    } else if (
      ['--file', '--format', '--sink', '--url', '--checkpoint', '--batch', '--max-line-bytes', '--progress-seconds'].includes(name)
    ) {
      values.set(name, value);
    } else throw new Error(`unknown option ${name}\n${SHIP_USAGE}`);
  }
  const file = values.get('--file');
  const format = values.get('--format');
  if (!file || !format) throw new Error(`--file and --format are required\n${SHIP_USAGE}`);
  const sink = values.get('--sink') ?? 'http';
  if (sink !== 'http' && sink !== 'queue') throw new Error(`--sink must be http or queue\n${SHIP_USAGE}`);
  const count = (name: string) => {
    const text = values.get(name);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${name} must be a positive whole number\n${SHIP_USAGE}`);
    return Number(text);
  };
  const path = resolve(file);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 12);
  return {
    file: path,
    formatQuery: { format, ...params },
    sink,
    url: new URL(values.get('--url') ?? defaultUrl).toString(),
    checkpoint: resolve(values.get('--checkpoint') ?? join('.local', 'ship', `${basename(path)}-${hash}.json`)),
    batchSize: count('--batch'),
    maxLineBytes: count('--max-line-bytes'),
    progressSeconds: count('--progress-seconds') ?? 10,
  };
}
