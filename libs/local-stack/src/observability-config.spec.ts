import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  durationSeconds,
  localAlertmanagerConfig,
  localPrometheusConfig,
  scaledForRules,
  shippedRuleFiles,
} from './observability-config.js';

const ROOT = process.cwd();
type Rules = { groups: { rules: { alert?: string; expr: string; for?: string; labels?: unknown; annotations?: unknown }[] }[] };

describe('local Prometheus / Alertmanager config derived from the shipped files', () => {
  it('scaledForRules divides every `for` and changes nothing else', () => {
    const file = shippedRuleFiles(ROOT).find((f) => f.endsWith('alerts.rules.yml'))!;
    const shipped = parse(readFileSync(file, 'utf8')) as Rules;
    const overlay = parse(scaledForRules(readFileSync(file, 'utf8'), 60)) as Rules;
    const rules = (r: Rules) => r.groups.flatMap((g) => g.rules);
    expect(rules(overlay).map(({ for: _for, ...rest }) => rest)).toEqual(rules(shipped).map(({ for: _for, ...rest }) => rest));
    const pairs = rules(shipped).map((r, i) => [r.for, rules(overlay)[i].for]);
    expect(pairs).toContainEqual(['5m', '5s']);
    expect(pairs).toContainEqual(['2m', '2s']);
    expect(pairs).toContainEqual([undefined, undefined]);
  });

  it('durationSeconds reads Prometheus durations and refuses others', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('15s')).toBe(15);
    expect(() => durationSeconds('5 minutes')).toThrow(/not a Prometheus duration/);
  });

  it('points the shipped scrape jobs, alerting and API links at local ports, keeping intervals and jobs', () => {
    const config = parse(localPrometheusConfig({ root: ROOT, apiPort: 3108, workerPort: 3208, alertmanagerPort: 39208 }));
    const shipped = parse(readFileSync(join(ROOT, 'prometheus', 'prometheus.yml'), 'utf8'));
    expect(config.global.scrape_interval).toBe(shipped.global.scrape_interval);
    expect(config.global.external_labels).toEqual({ verilock_api_url: 'http://localhost:3108' });
    expect(config.scrape_configs).toEqual([
      { job_name: 'verilock-api', static_configs: [{ targets: ['127.0.0.1:3108'] }] },
      { job_name: 'verilock-worker', static_configs: [{ targets: ['127.0.0.1:3208'] }] },
    ]);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:39208']);
    expect(config.rule_files).toEqual(shippedRuleFiles(ROOT));
  });

  it('replaces every webhook URL and keeps the routing tree and inhibitions', () => {
    const shipped = parse(readFileSync(join(ROOT, 'prometheus', 'alertmanager.yml'), 'utf8'));
    const local = parse(localAlertmanagerConfig(ROOT, { webhookUrl: 'http://127.0.0.1:9/hook', groupTiming: '1s' }));
    expect(local.receivers.flatMap((r: { webhook_configs: { url: string }[] }) => r.webhook_configs.map((w) => w.url))).toEqual([
      'http://127.0.0.1:9/hook',
      'http://127.0.0.1:9/hook',
    ]);
    expect(local.inhibit_rules).toEqual(shipped.inhibit_rules);
    expect(local.route.routes[0].matchers).toEqual(shipped.route.routes[0].matchers);
    expect(local.route.routes[0].receiver).toBe('on-call-page');
    expect([local.route.group_wait, local.route.routes[0].group_interval]).toEqual(['1s', '1s']);
  });
});
