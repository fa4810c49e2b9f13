import { WorkerProcess } from './child-process.js';
import { TEST_API_KEY } from './http.js';
import { sampleSum } from './metrics-text.js';
import { freePort } from './redis-server.js';

/** One built api or worker process on a port of its own, whose /metrics a test scrapes. */
export class Replica {
  constructor(
    readonly name: string,
    readonly process: WorkerProcess,
    readonly port: number,
  ) {}

  /** The sum of a counter's samples (every label) on this process now. */
  async counter(name: string): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    if (res.status !== 200) throw new Error(`${this.name} /metrics answered ${res.status}`);
    return sampleSum(await res.text(), name);
  }
}

/**
 * Starts one api or worker process on a free port. Several at once on a loaded 2-core machine take
 * their time to boot, hence the generous readiness bound.
 */
export async function startReplica(app: 'api' | 'worker', name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const portVariable = app === 'api' ? 'API_PORT' : 'WORKER_PORT';
  const process = await WorkerProcess.start({ ...env, [portVariable]: String(port) }, { app, readyMs: 90_000 });
  return new Replica(name, process, port);
}

/** A counter summed across replicas, as `sum without (instance)` sums it in Prometheus. */
export async function summed(replicas: Replica[], name: string): Promise<number> {
  const values = await Promise.all(replicas.map((r) => r.counter(name)));
  return values.reduce((a, b) => a + b, 0);
}

/** POSTs a batch to one api; anything but 202 fails the test (no backpressure is reachable here). */
export async function postBatch(api: Replica, records: Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${api.port}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
    body: JSON.stringify(records),
  });
  if (res.status !== 202) throw new Error(`${api.name} answered ${res.status}: ${await res.text()}`);
}
