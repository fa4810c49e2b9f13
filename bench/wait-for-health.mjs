// Every bench script starts built apps and waits for them the same way: poll a health route until it
// answers 2xx, give up after `timeoutMs`, and fail at once if the process already exited.
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitForHealth(port, { path = '/health/live', timeoutMs = 20_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the process for :${port} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing answered ${path} on :${port} within ${timeoutMs / 1000} s`);
}
