import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessLogRecord } from '#libs/access-log';
import { selectFormat } from '#libs/log-formats';
import { type LogSink, RetryLaterError } from '#libs/log-shipper';
import { FileSource, type FileSourceOptions } from './file-source.js';

/** One line of docs/sources.md's `log_format verilock`, as nginx writes it. */
export function nginxLine(requestId: string, overrides: Record<string, string> = {}): string {
  const line = {
    request_id: requestId,
    time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
    method: 'GET',
    uri: `/v1/sessions/${requestId}?expand=steps`,
    status: '200',
    request_time: '0.012',
    upstream_response_time: '0.010',
    retry_after: '',
    error_code: '',
    api_key_id: '',
    remote_addr: '198.51.100.7',
    user_agent: 'curl/8.5.0',
    ...overrides,
  };
  return `${JSON.stringify(line)}\n`;
}

/** A sink that keeps what it was sent; `refuseNext` answers the next sends with a 429-like RetryLaterError. */
export class RecordingSink implements LogSink {
  readonly batches: AccessLogRecord[][] = [];
  refuseNext = 0;
  attempts = 0;

  async send(records: AccessLogRecord[]) {
    this.attempts++;
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw new RetryLaterError('POST /v1/logs answered 429', 50);
    }
    this.batches.push(records);
  }

  ids(): string[] {
    return this.batches.flat().map((r) => r.requestId);
  }

  close = async () => undefined;
}

/** A temporary directory with an access log and a checkpoint path, removed by cleanup(). */
export function tempLog() {
  const dir = mkdtempSync(join(tmpdir(), 'file-source-'));
  const path = join(dir, 'api.json');
  return {
    dir,
    path,
    checkpointPath: join(dir, 'checkpoint.json'),
    append: (text: string) => appendFileSync(path, text),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A running source with fast polling; `stop()` resolves once run() has returned. */
export function startSource(options: Omit<FileSourceOptions, 'mapper'>) {
  const logged: string[] = [];
  const source = new FileSource({
    mapper: selectFormat({ format: 'nginx' }).mapper,
    pollIntervalMs: 10,
    flushIntervalMs: 10,
    rotateWaitMs: 100,
    progressIntervalMs: 60_000,
    log: (line) => logged.push(line),
    ...options,
  });
  const running = source.run();
  return {
    source,
    logged,
    running,
    stop: async () => (source.stop(), await running),
  };
}

/** Polls until `done()` holds; fails after 10 s naming `what`. */
export async function until(done: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !done(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in 10 s`);
  }
}
