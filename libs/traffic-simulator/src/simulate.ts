import { LogShipper, httpSink } from '#libs/log-shipper';
import { TrafficGenerator } from '#libs/traffic-model';

export interface SimulationOptions {
  /** Base URL of the running api. */
  url: string;
  apiKey?: string;
  /** Records per second. */
  rate: number;
  durationSeconds: number;
  /** Records per POST. */
  batchSize?: number;
  seed?: number;
  /** Called about every `progressEverySeconds` with the running totals. */
  onProgress?: (summary: SimulationSummary) => void;
  progressEverySeconds?: number;
}

export interface SimulationSummary {
  elapsedSeconds: number;
  generated: number;
  byStatus: Record<string, number>;
  shipped: number;
  rejected: number;
  dropped: number;
  lost: number;
  buffered: number;
}

const TICK_MS = 100;

/**
 * Sends Verilock-shaped traffic to a running service at `rate` records/s: every 100 ms the records
 * of the slice just past, timestamped across it, go into a LogShipper posting batches to /v1/logs (so a
 * slow or briefly unavailable service delays records instead of losing them).
 */
export async function simulateTraffic(options: SimulationOptions): Promise<SimulationSummary> {
  const generator = new TrafficGenerator({ seed: options.seed });
  const shipper = new LogShipper({
    sink: httpSink({ url: options.url, apiKey: options.apiKey }),
    batchSize: options.batchSize ?? 500,
    flushIntervalMs: 250,
    onError: rateLimitedWarning(),
  });
  const byStatus: Record<string, number> = {};
  const started = Date.now();
  const end = started + options.durationSeconds * 1000;
  let generated = 0;
  let nextProgress = started + (options.progressEverySeconds ?? 5) * 1000;
  const summary = (): SimulationSummary => ({
    elapsedSeconds: (Date.now() - started) / 1000,
    generated,
    byStatus: { ...byStatus },
    ...shipper.stats,
  });

  for (let tick = started + TICK_MS; tick < end + TICK_MS; tick += TICK_MS) {
    const sliceEnd = Math.min(tick, end);
    await sleepUntil(sliceEnd);
    // The responses of the slice that just ended (never timestamps in the future); counting how many
    // should exist by now makes fractional rates add up exactly.
    const due = Math.floor(((sliceEnd - started) / 1000) * options.rate) - generated;
    for (let i = 0; i < due; i++) {
      const record = generator.next(new Date(sliceEnd - TICK_MS + Math.floor((TICK_MS * i) / Math.max(due, 1))));
      byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
      shipper.record(record);
    }
    generated += Math.max(due, 0);
    if (Date.now() >= nextProgress) {
      options.onProgress?.(summary());
      nextProgress += (options.progressEverySeconds ?? 5) * 1000;
    }
  }
  await shipper.close();
  return summary();
}

/**
 * Always through a timer, even when already late: a generator running behind must still let the
 * shipper's POSTs and their answers through (awaiting nothing would only yield to microtasks, and
 * the buffer would fill and drop while nothing is sent).
 */
async function sleepUntil(at: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}

function rateLimitedWarning() {
  let last = 0;
  return (err: Error) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    console.warn(`[simulate] delivery problem (records stay buffered): ${err.message}`);
  };
}
