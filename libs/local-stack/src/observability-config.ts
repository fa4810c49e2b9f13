import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** Where the shipped Prometheus / Alertmanager files live, relative to the repository root. */
export const PROMETHEUS_DIR = 'prometheus';
const API_URL_LABEL = 'verilock_api_url';

export interface LocalPrometheusOptions {
  root: string;
  apiPort: number;
  workerPort: number;
  alertmanagerPort: number;
  /** Rule files to load instead of the shipped ones (a test overlay); absolute paths. */
  ruleFiles?: string[];
  /** Scrape and evaluation interval instead of the shipped one (tests use 1s). */
  interval?: string;
}

interface PrometheusConfig {
  global?: Record<string, unknown> & { external_labels?: Record<string, string> };
  rule_files?: string[];
  alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: unknown[] }[];
}

/**
 * The shipped prometheus/prometheus.yml (written for docker compose: the api and worker replicas by DNS,
 * alertmanager:9093) pointed at local ports: same jobs, rules, intervals and alerting, only the
 * addresses change — so what `npm run up` and the tests run is what ships.
 */
export function localPrometheusConfig(options: LocalPrometheusOptions): string {
  const config = parse(readFileSync(join(options.root, PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as PrometheusConfig;
  const ports: Record<string, number> = { 'verilock-api': options.apiPort, 'verilock-worker': options.workerPort };
  for (const job of config.scrape_configs) {
    const port = ports[job.job_name];
    if (port === undefined) throw new Error(`prometheus.yml: unexpected job ${job.job_name}`);
    job.static_configs = [{ targets: [`127.0.0.1:${port}`] }];
    delete job.dns_sd_configs; // compose finds its replicas by DNS; the local stack runs one of each
  }
  config.alerting = { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${options.alertmanagerPort}`] }] }] };
  config.rule_files = options.ruleFiles ?? shippedRuleFiles(options.root);
  config.global = {
    ...config.global,
    external_labels: { ...config.global?.external_labels, [API_URL_LABEL]: `http://localhost:${options.apiPort}` },
  };
  if (options.interval)
    config.global = {
      ...config.global,
      scrape_interval: options.interval,
      evaluation_interval: options.interval,
      scrape_timeout: options.interval,
    };
  return stringify(config);
}

export function shippedRuleFiles(root: string): string[] {
  const dir = join(root, PROMETHEUS_DIR, 'rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules.yml'))
    .sort()
    .map((f) => join(dir, f));
}

interface AlertmanagerRoute {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  routes?: AlertmanagerRoute[];
}
interface AlertmanagerConfig {
  route: AlertmanagerRoute;
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
}

/**
 * The shipped prometheus/alertmanager.yml with every webhook receiver's URL replaced (the shipped
 * ones are examples) and, for tests, the grouping waits shortened. Routes, matchers and inhibitions
 * stay as shipped.
 */
export function localAlertmanagerConfig(root: string, options: { webhookUrl?: string; groupTiming?: string } = {}): string {
  const config = parse(readFileSync(join(root, PROMETHEUS_DIR, 'alertmanager.yml'), 'utf8')) as AlertmanagerConfig;
  if (options.webhookUrl) {
    for (const receiver of config.receivers) for (const hook of receiver.webhook_configs ?? []) hook.url = options.webhookUrl;
  }
  if (options.groupTiming) retime(config.route, options.groupTiming);
  return stringify(config);
}

function retime(route: AlertmanagerRoute, timing: string): void {
  route.group_wait = timing;
  route.group_interval = timing;
  for (const child of route.routes ?? []) retime(child, timing);
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; for?: string }[] }[];
}

/**
 * A test overlay of a shipped rule file: every alert's `for` divided by `factor` (5m → 5s at 60),
 * nothing else changed. Derived from the file itself, so a changed expression is tested as changed.
 */
export function scaledForRules(ruleFileText: string, factor: number): string {
  const file = parse(ruleFileText) as RuleFile;
  for (const group of file.groups) {
    for (const rule of group.rules) {
      if (rule.for) rule.for = `${Math.max(1, Math.round(durationSeconds(rule.for) / factor))}s`;
    }
  }
  return stringify(file);
}

/** Seconds of a Prometheus duration such as `90s`, `5m`, `1h30m`. */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a Prometheus duration: ${text}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}
