import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DASHBOARDS_DIR, filesIn } from './observability-files.js';

export interface PanelQuery {
  where: string;
  language: 'promql' | 'sql';
  text: string;
}

interface Panel {
  title: string;
  panels?: Panel[];
  targets?: { refId: string; expr?: string; rawSql?: string }[];
}

interface Dashboard {
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

export function shippedDashboards(): { file: string; dashboard: Dashboard }[] {
  return filesIn(DASHBOARDS_DIR, '.json').map((file) => ({
    file: basename(file),
    dashboard: JSON.parse(readFileSync(file, 'utf8')) as Dashboard,
  }));
}

/** Every query of every panel (rows' nested panels included) of every shipped dashboard. */
export function panelQueries(): PanelQuery[] {
  const queries: PanelQuery[] = [];
  const visit = (file: string, panel: Panel) => {
    panel.panels?.forEach((p) => visit(file, p));
    for (const t of panel.targets ?? []) {
      const where = `${file} › ${panel.title} › ${t.refId}`;
      if (t.expr !== undefined) queries.push({ where, language: 'promql', text: t.expr });
      if (t.rawSql !== undefined) queries.push({ where, language: 'sql', text: t.rawSql });
    }
  };
  for (const { file, dashboard } of shippedDashboards()) dashboard.panels.forEach((p) => visit(file, p));
  return queries;
}

/** The `label_values(metric, label)` query variables of the dashboards. */
export function labelValuesVariables(): { where: string; metric: string; label: string }[] {
  return shippedDashboards().flatMap(({ file, dashboard }) =>
    dashboard.templating.list.flatMap((v) => {
      const query = typeof v.query === 'string' ? v.query : v.query.query;
      const match = /^label_values\((\w+),\s*(\w+)\)$/.exec(query ?? '');
      return v.type === 'query'
        ? [{ where: `${file} › $${v.name}`, metric: match?.[1] ?? `unparsed: ${query}`, label: match?.[2] ?? '' }]
        : [];
    }),
  );
}

/** The series selectors of a PromQL expression (metric name + matchers), ranges, grouping and keywords aside. */
export function seriesSelectors(expr: string): string[] {
  const stripped = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)|\[[^\]]*\]/g, ' ');
  const selectors = [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?(?!\s*\(|[a-zA-Z0-9_:])/g)]
    .filter((m) => !/^(and|or|unless|bool|offset|inf|nan)$/i.test(m[1]))
    .map((m) => `${m[1]}${m[2] ?? ''}`);
  return [...new Set(selectors)];
}

/** What Grafana would put in place of its variables, for a Prometheus that scrapes every second. */
const PROMQL_VARIABLES: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
  route: '.*',
  api_key: '.*',
};

export function substitutePromql(expr: string): string {
  return replaceVariables(expr, (name) => PROMQL_VARIABLES[name]);
}

/** Grafana's SQL macros and variables: `${request_id:sqlstring}` is a quoted, escaped literal. */
export function substituteSql(sql: string, values: { requestId: string; from: Date; to: Date }): string {
  const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const withMacros = sql.replace(
    /\$__timeFilter\((\w+)\)/g,
    (_, column: string) => `${column} BETWEEN ${literal(values.from.toISOString())} AND ${literal(values.to.toISOString())}`,
  );
  return replaceVariables(withMacros, (name, format) =>
    name === 'request_id' ? (format === 'sqlstring' ? literal(values.requestId) : values.requestId) : undefined,
  );
}

/** Replaces `$name`, `${name}` and `${name:format}`; an unknown variable is left in place (tests catch it). */
function replaceVariables(text: string, value: (name: string, format?: string) => string | undefined): string {
  return text.replace(
    /\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g,
    (whole, braced?: string, format?: string, bare?: string) => value((braced ?? bare)!, format) ?? whole,
  );
}
