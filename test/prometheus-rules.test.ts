import { join } from 'node:path';
import { PROMETHEUS_DIR, RULES_DIR, filesIn, readYaml, run, shippedRules } from './support/observability-files.js';

interface RuleTestFile {
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('shipped Prometheus rules and Alertmanager config', () => {
  const testFiles = filesIn(join(PROMETHEUS_DIR, 'tests'), '.test.yml');

  it('pass `promtool check rules` and `promtool check config`', () => {
    const rules = run('promtool', ['check', 'rules', ...filesIn(RULES_DIR, '.rules.yml')]);
    expect(rules.status).toBe(0);
    const config = run('promtool', ['check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml')]);
    expect(config.output).toContain('is valid prometheus config file syntax');
    expect(config.status).toBe(0);
  });

  it('pass their unit tests (`promtool test rules`)', () => {
    const result = run('promtool', ['test', 'rules', ...testFiles]);
    expect(result.output).not.toContain('FAILED');
    expect(result.status).toBe(0);
  });

  it('test every alert both firing and not firing', () => {
    const cases = testFiles.flatMap((f) => readYaml<RuleTestFile>(f).tests.flatMap((t) => t.alert_rule_test ?? []));
    const alerts = shippedRules().flatMap((r) => (r.alert ? [r.alert] : []));
    expect(alerts.length).toBeGreaterThanOrEqual(9);
    for (const alert of alerts) {
      const own = cases.filter((c) => c.alertname === alert);
      expect({ alert, fires: own.some((c) => c.exp_alerts.length > 0) }).toEqual({ alert, fires: true });
      expect({ alert, staysQuiet: own.some((c) => c.exp_alerts.length === 0) }).toEqual({ alert, staysQuiet: true });
    }
  });

  it('ship an Alertmanager example that passes `amtool check-config`', () => {
    const result = run('amtool', ['check-config', join(PROMETHEUS_DIR, 'alertmanager.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
