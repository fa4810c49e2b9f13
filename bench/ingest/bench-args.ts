import type { AppendFsync } from './durability.js';

export interface BenchArgs {
  /** Records in each throughput phase (COPY, HTTP, shipper). */
  records: number;
  /**
   * Records posted to the fresh api and worker before the HTTP phase, not counted: their JIT compiles
   * and heap growth (hundreds of functions optimised on V8's helper threads) would otherwise be billed
   * to the first phase's records. 0 measures cold processes, as runs before this option did.
   */
  warmupRecords: number;
  /** Duration of the soak phase at a steady rate, while memory is sampled. */
  soakSeconds: number;
  /** Records/s in the soak phase; default half the HTTP end-to-end rate measured just before. */
  soakRate?: number;
  sampleEverySeconds: number;
  batchSize: number;
  concurrency: number;
  apiKey: string;
  keep: boolean;
  /** `--appendfsync everysec,always`: the HTTP phase again under each Redis fsync setting (durability's cost). */
  appendfsync: AppendFsync[];
}

const USAGE = `usage: npm run bench:ingest -- [--records 200000] [--warmup-records 50000] [--soak-seconds 300] [--soak-rate N]
                                 [--sample-every 5] [--batch 1000] [--concurrency 4] [--key KEY] [--keep] [--appendfsync everysec,always]`;
const FSYNC_SETTINGS: readonly string[] = ['always', 'everysec', 'no'];

export function parseBenchArgs(argv: string[], env: Record<string, string | undefined>): BenchArgs {
  const args: BenchArgs = {
    records: 200_000,
    warmupRecords: 50_000,
    soakSeconds: 300,
    sampleEverySeconds: 5,
    batchSize: 1000,
    concurrency: 4,
    apiKey: env.VERILOCK_API_KEY ?? 'vlk_test_admin_0123456789abcdef0123456789abcdef',
    keep: false,
    appendfsync: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--keep') {
      args.keep = true;
      continue;
    }
    const value = argv[++i];
    if (name === '--appendfsync') {
      args.appendfsync = (value ?? '').split(',') as AppendFsync[];
      if (!args.appendfsync.every((s) => FSYNC_SETTINGS.includes(s)))
        throw new Error(`--appendfsync takes a list of ${FSYNC_SETTINGS.join(', ')}\n${USAGE}`);
      continue;
    }
    const number = Number(value);
    // --warmup-records 0 is meaningful (cold processes); every other count or duration must be positive.
    const least = name === '--warmup-records' ? 0 : Number.MIN_VALUE;
    if (value === undefined || (name !== '--key' && !(number >= least)))
      throw new Error(`${name} needs a ${least === 0 ? 'non-negative' : 'positive'} value\n${USAGE}`);
    if (name === '--records') args.records = Math.floor(number);
    else if (name === '--warmup-records') args.warmupRecords = Math.floor(number);
    else if (name === '--soak-seconds') args.soakSeconds = number;
    else if (name === '--soak-rate') args.soakRate = number;
    else if (name === '--sample-every') args.sampleEverySeconds = number;
    else if (name === '--batch') args.batchSize = Math.floor(number);
    else if (name === '--concurrency') args.concurrency = Math.floor(number);
    else if (name === '--key') args.apiKey = value;
    else throw new Error(`unknown option ${name}\n${USAGE}`);
  }
  return args;
}
