import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.built-at';

/**
 * Tests that spawn the real entry points (worker process, CLIs) need dist/: build it (~10 s) unless
 * it is newer than every source file. Run once per jest process at most.
 */
export function ensureBuilt(): void {
  if (existsSync(STAMP) && newestSource(['apps', 'libs', 'package.json']) < statSync(STAMP).mtimeMs) return;
  execFileSync('bash', ['scripts/build.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(STAMP, new Date().toISOString());
}

function newestSource(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestSource(readdirSync(path).map((name) => join(path, name))));
    else if (/\.(ts|json|prisma)$/.test(path)) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}
