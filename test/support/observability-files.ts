import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Repository root (tests run from it). */
export const ROOT = process.cwd();
export const PROMETHEUS_DIR = join(ROOT, 'prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
export const DASHBOARDS_DIR = join(ROOT, 'grafana', 'dashboards');

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}

/** Every file under `dir` whose name ends with `suffix`, as absolute paths. */
export function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

/** Every recording and alerting rule shipped in prometheus/rules. */
export function shippedRules(): Rule[] {
  return filesIn(RULES_DIR, '.rules.yml').flatMap((f) => readYaml<{ groups: { rules: Rule[] }[] }>(f).groups.flatMap((g) => g.rules));
}

/** Runs a command to completion; its exit code and combined output. */
export function run(command: string, args: string[], cwd = ROOT): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}
