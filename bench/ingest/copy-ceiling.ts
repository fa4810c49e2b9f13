import { spawnSync } from 'node:child_process';
import { createWriteStream, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchDatabase } from './bench-database.js';
import { storedRecords } from './stored-records.js';

const COLUMNS =
  'request_id, sent_at, method, path, route, status, duration_ms, error_code, message, details, retry_after, ' +
  'api_key_id, client_ip, user_agent, received_at';

/**
 * The ceiling: the same records, already validated and written to a CSV file, loaded by Postgres's
 * own COPY (psql \copy) into the same partitioned table with the same indexes. No HTTP, no JSON
 * parsing, no queue: what the database alone can take on this machine.
 */
export async function copyCeiling(db: BenchDatabase, count: number): Promise<{ records: number; seconds: number; perSecond: number }> {
  const file = join(tmpdir(), `verilock-bench-${process.pid}.csv`);
  await writeCsv(file, count);
  const psql = findPsql();
  const started = process.hrtime.bigint();
  const result = spawnSync(
    psql,
    [db.url, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy request_logs (${COLUMNS}) FROM '${file}' WITH (FORMAT csv)`],
    { encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(file, { force: true });
  if (result.status !== 0) throw new Error(`COPY failed: ${result.stderr}`);
  const stored = await db.count();
  if (stored !== count) throw new Error(`COPY stored ${stored} of ${count} rows`);
  return { records: count, seconds, perSecond: count / seconds };
}

async function writeCsv(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  const received = new Date().toISOString();
  for (const r of storedRecords(count, 1)) {
    const line = [
      r.requestId,
      r.timestamp,
      r.method,
      r.path,
      r.route,
      r.status,
      r.durationMs,
      r.error,
      r.message,
      r.details === null ? null : JSON.stringify(r.details),
      r.retryAfter,
      r.apiKeyId,
      r.clientIp,
      r.userAgent,
      received,
    ]
      .map(csv)
      .join(',');
    if (!out.write(line + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

function csv(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Values are the bench's own records: strings, numbers, booleans, or a details object (as JSON).
  const text =
    typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}

function findPsql(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  return join('/usr/lib/postgresql', versions[versions.length - 1], 'bin', 'psql');
}
