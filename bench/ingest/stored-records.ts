import { type AccessLogRecord, validateRecord } from '#libs/access-log';
import { TrafficGenerator } from '#libs/traffic-model';

const LIMITS = { maxFutureSkewSeconds: 86_400, maxAgeDays: 90 };

/**
 * `count` simulated records as the worker stores them (validated and normalised), sent over the
 * last minute: the input of the phases that bypass the api (COPY, the worker's SQL alone).
 */
export function* storedRecords(count: number, seed: number): Generator<AccessLogRecord> {
  const generator = new TrafficGenerator({ seed });
  const now = new Date();
  for (let i = 0; i < count; i++) {
    const result = validateRecord(generator.next(new Date(now.getTime() - 60_000 + (60_000 * i) / count)), LIMITS, now);
    if (!result.ok) throw new Error(`the generator produced an invalid record: ${JSON.stringify(result.details)}`);
    yield result.record;
  }
}
