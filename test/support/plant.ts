import { randomInt, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Pipeline } from './pipeline.js';
import { waitUntilStored } from './pipeline.js';
import { http } from './http.js';

const MINUTE_MS = 60_000;

/**
 * A whole-minute start time on a random day 30-60 days ago (within INGEST_MAX_AGE_DAYS), at a random
 * minute of it: test files planting series there do not see each other's (or today's) traffic.
 */
export function randomPastMinute(): Date {
  const day = Math.floor(Date.now() / 86_400_000) - randomInt(30, 61);
  return new Date(day * 86_400_000 + randomInt(0, 18 * 60) * MINUTE_MS);
}

/**
 * Like randomPastMinute, but retried until no stored row falls in [start - marginMinutes, start +
 * lengthMinutes): series that compare against a baseline (spikes) need a window no earlier run of
 * any test file has written into (the test database outlives runs).
 */
export async function quietPastWindow(db: Pool, lengthMinutes: number, marginMinutes = 60): Promise<Date> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = randomPastMinute();
    const { rowCount } = await db.query('SELECT 1 FROM request_logs WHERE sent_at >= $1 AND sent_at < $2 LIMIT 1', [
      minutesAfter(start, -marginMinutes),
      minutesAfter(start, lengthMinutes),
    ]);
    if (rowCount === 0) return start;
  }
  throw new Error('no quiet time window found in the test database');
}

export function minutesAfter(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * MINUTE_MS);
}

/** A short unique suffix for API key ids, routes and the like of one test file. */
export function uniqueTag(): string {
  return randomUUID().slice(0, 8);
}

/** Posts records through the real api (in chunks) and waits until the worker has stored them all. */
export async function plant(pipeline: Pipeline, records: Record<string, unknown>[]): Promise<void> {
  const server = pipeline.api.getHttpServer();
  for (let i = 0; i < records.length; i += 2000) {
    const chunk = records.slice(i, i + 2000);
    const res = await http(server).post('/v1/logs').send(chunk);
    if (res.status !== 202 || res.body.rejected.length > 0)
      throw new Error(`planting failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  await waitUntilStored(
    pipeline.db,
    records.map((r) => r.requestId as string),
    60_000,
  );
}
