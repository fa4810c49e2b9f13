import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS_DIR, filesIn } from './support/observability-files.js';
import { checkDashboards } from './support/grafana-schema-check.js';

/**
 * Every shipped dashboard against Grafana's own model (@grafana/schema 11.2.2, the Grafana of
 * docker-compose.yml), beside the PromQL check on a real Prometheus (real-prometheus.test.ts).
 */
describe('Grafana dashboards match @grafana/schema', () => {
  it("type-check as Dashboard, with each panel type's options and field config", () => {
    const dashboards = filesIn(DASHBOARDS_DIR, '.json');
    expect(dashboards.length).toBeGreaterThanOrEqual(3);
    expect(checkDashboards(dashboards, join('.local', 'grafana-schema-check'))).toEqual([]);
  }, 120_000);

  it('would catch a misspelt field and a wrong value type (the check is not vacuous)', () => {
    type PanelJson = { type: string; options: { legend: { displayMode: string } }; panels?: PanelJson[] };
    const original = readFileSync(filesIn(DASHBOARDS_DIR, '.json')[0], 'utf8');
    const misspelt = { ...JSON.parse(original), refersh: '30s' };
    const wrongValue = JSON.parse(original);
    const panels = (wrongValue.panels as PanelJson[]).flatMap((p) => [p, ...(p.panels ?? [])]);
    panels.find((p) => p.type === 'timeseries')!.options.legend.displayMode = 'bullet-list';
    mkdirSync('.local', { recursive: true });
    writeFileSync(join('.local', 'grafana-broken-misspelt.json'), JSON.stringify(misspelt));
    writeFileSync(join('.local', 'grafana-broken-value.json'), JSON.stringify(wrongValue));
    const problems = checkDashboards(
      [join('.local', 'grafana-broken-misspelt.json'), join('.local', 'grafana-broken-value.json')],
      join('.local', 'grafana-schema-check-broken'),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^grafana-broken-misspelt.check.ts:\d+: .*'"refersh"' does not exist in type/);
    // The legend's display modes, from the schema's LegendDisplayMode enum (order as TypeScript prints it).
    expect(problems[1]).toMatch(
      /^grafana-broken-value.check.ts:\d+: Type '"bullet-list"' is not assignable to type '"(table|list|hidden)" \| "(table|list|hidden)" \| "(table|list|hidden)"'/,
    );
  }, 120_000);
});
