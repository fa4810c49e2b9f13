import { CliExit } from '../run-cli.js';

export const SUPPORT_USAGE = `usage: npm run -s support -- lookup X_REQUEST_ID [--json]
       npm run -s support -- errors [--since 1h] [--group-by status|route|key] [--json]
       npm run -s support -- spikes [--since 6h] [--status 429,503] [--json]
       npm run -s support -- sources [--json]   (an admin key: each ingest source and its last rejected lines)
  The api: VERILOCK_URL (default http://localhost:$API_PORT, port 3000 when unset). The key (logs:read): VERILOCK_API_KEY, never
  an argument (npm echoes its command line) and never printed.`;

export interface SupportArgs {
  command: 'lookup' | 'errors' | 'spikes' | 'sources';
  requestId?: string;
  sinceMs: number;
  groupBy: 'status' | 'route' | 'apiKeyId';
  status?: string;
  json: boolean;
}

const GROUP_BY = { status: 'status', route: 'route', key: 'apiKeyId' } as const;

/** Parses `lookup ID` / `errors …` / `spikes …` / `sources`; usage errors exit with status 2. */
export function parseSupportArgs(argv: string[]): SupportArgs {
  const [command, ...rest] = argv;
  if (command !== 'lookup' && command !== 'errors' && command !== 'spikes' && command !== 'sources') throw new CliExit(2, SUPPORT_USAGE);
  const args: SupportArgs = { command, sinceMs: durationMs(command === 'spikes' ? '6h' : '1h'), groupBy: 'status', json: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => rest[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--json') args.json = true;
    else if (arg === '--since') args.sinceMs = durationMs(value());
    else if (arg === '--group-by' && command === 'errors') {
      const g = value();
      if (!(g in GROUP_BY)) fail(`--group-by must be one of ${Object.keys(GROUP_BY).join(', ')}`);
      args.groupBy = GROUP_BY[g as keyof typeof GROUP_BY];
    } else if (arg === '--status' && command === 'spikes') args.status = value();
    else if (command === 'lookup' && !arg.startsWith('-') && args.requestId === undefined) args.requestId = arg;
    else fail(`unknown argument ${arg}`);
  }
  if (command === 'lookup' && !args.requestId) fail('lookup needs an X-Request-Id');
  return args;
}

/** `90s`, `30m`, `6h`, `2d` → milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) fail(`not a duration: ${text} (use e.g. 30m, 6h, 2d)`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's'];
}

function fail(message: string): never {
  throw new CliExit(2, `${message}\n${SUPPORT_USAGE}`);
}
