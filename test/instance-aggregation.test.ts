import { panelQueries } from './support/dashboard-queries.js';
import { shippedRules } from './support/observability-files.js';

const AGGREGATION =
  /\b(sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\s*(?:(by|without)\s*\(([^)]*)\)\s*)?$/;
const RANGE_FUNCTION = /\b(rate|irate|increase|delta|idelta|deriv)\s*\(/g;
const SERVICE_SERIES = /(?<!:)\bverilock_[a-zA-Z0-9_]+\b(?!\s*[(:])/g;

/**
 * Where a PromQL expression would show one series per scraped process when a total is meant: every
 * rate()/increase()/… and every bare `verilock_*` series must sit directly inside an aggregation whose
 * result drops `instance` (no grouping, `by (…)` without `instance`, or `without (…, instance)`).
 * With 2 api and 3 worker replicas, `rate(verilock_ingest_records_stored_total[5m])` alone is three
 * lines on a panel, and an alert on it compares one replica's share to a cluster-wide threshold.
 * Per-process health (up, memory, event-loop lag: not `verilock_*`, not rates) is meant per instance.
 * Recording-rule outputs (`level:metric:op`) are checked through their own rule.
 */
function perInstanceSeries(expr: string): string[] {
  const text = expr.replace(/"(?:[^"\\]|\\.)*"/g, (s) => `"${' '.repeat(s.length - 2)}"`);
  const problems: string[] = [];
  const check = (start: number, end: number, what: string) => {
    const problem = enclosingAggregationProblem(text, start, end);
    if (problem) problems.push(`${what}: ${problem}`);
  };
  for (const m of text.matchAll(RANGE_FUNCTION)) {
    const open = m.index + m[0].length - 1;
    check(m.index, closingParen(text, open), `${m[1]}(…) at ${m.index}`);
  }
  for (const m of text.matchAll(SERVICE_SERIES)) {
    const inside = innermostParens(text, m.index, m.index + m[0].length);
    if (inside && RANGE_FUNCTION_BEFORE.test(text.slice(0, inside.open + 1))) continue; // checked as a rate
    check(m.index, m.index + m[0].length, m[0]);
  }
  return problems;
}
const RANGE_FUNCTION_BEFORE = /\b(rate|irate|increase|delta|idelta|deriv)\s*\($/;

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in ${text}`);
}

/** The innermost parenthesised group holding [start, end), if any. */
function innermostParens(text: string, start: number, end: number): { open: number; close: number } | undefined {
  for (let open = start - 1, depth = 0; open >= 0; open--) {
    if (text[open] === ')') depth++;
    if (text[open] === '(' && depth-- === 0) {
      const close = closingParen(text, open);
      if (close >= end) return { open, close };
    }
  }
  return undefined;
}

function enclosingAggregationProblem(text: string, start: number, end: number): string | undefined {
  const group = innermostParens(text, start, end);
  if (!group) return 'not aggregated';
  const before = AGGREGATION.exec(text.slice(0, group.open));
  if (!before) return `inside "${text.slice(Math.max(0, group.open - 20), group.open + 1).trim()}", not an aggregation`;
  const after = /^\s*(by|without)\s*\(([^)]*)\)/.exec(text.slice(group.close + 1));
  const [clause, labels] = before[2] ? [before[2], before[3]] : after ? [after[1], after[2]] : [undefined, ''];
  const hasInstance = labels.split(',').some((l) => l.trim() === 'instance');
  if (clause === 'by' && hasInstance) return 'aggregated by instance';
  if (clause === 'without' && !hasInstance) return 'aggregated without other labels, keeping instance';
  return undefined;
}

describe('recording rules, alerts and dashboards aggregate across instances (api and worker replicas)', () => {
  it('finds per-instance series, and only them (the check can fail)', () => {
    expect(perInstanceSeries('rate(verilock_ingest_records_stored_total[5m])')).toHaveLength(1);
    expect(perInstanceSeries('sum by (instance) (rate(verilock_api_requests_total[5m]))')).toEqual([
      'rate(…) at 19: aggregated by instance',
    ]);
    expect(perInstanceSeries('sum without (route) (increase(verilock_api_requests_total[1h]))')).toHaveLength(1);
    expect(perInstanceSeries('histogram_quantile(0.9, rate(verilock_ingest_lag_seconds_bucket[5m]))')).toHaveLength(1);
    expect(perInstanceSeries('verilock_ingest_queue_jobs{state="waiting"} > 50')).toEqual(['verilock_ingest_queue_jobs: not aggregated']);
    expect(perInstanceSeries('sum(rate(verilock_x_total[5m])) by (route, instance)')).toHaveLength(1);
    for (const fine of [
      'sum without (instance, job) (rate(verilock_api_requests_total{route=~"/v1/(a|b)"}[5m]))',
      'histogram_quantile(0.95, sum by (route, le) (rate(verilock_api_request_duration_seconds_bucket[5m])))',
      '(sum(rate(verilock_api_requests_total{status="429"}[5m])) or vector(0)) / sum(rate(verilock_api_requests_total[5m]))',
      'topk(10, sum by (route) (increase(verilock_api_requests_total[1h])))',
      'max by (state) (verilock_ingest_queue_jobs)',
      'verilock:api_5xx_ratio:rate1h / 0.001',
      'sum(status_class:verilock_api_requests:rate5m)',
      'sum(rate(verilock_x_total[5m])) by (route)',
    ])
      expect(perInstanceSeries(fine)).toEqual([]);
  });

  it('every shipped rule and panel query shows totals, not one series per replica', () => {
    const queries = [
      ...shippedRules().map((r) => ({ where: `rule ${r.record ?? r.alert}`, text: r.expr })),
      ...panelQueries().filter((q) => q.language === 'promql'),
    ];
    expect(queries.length).toBeGreaterThan(40);
    const problems = queries.flatMap((q) => perInstanceSeries(q.text).map((p) => `${q.where}: ${p}`));
    expect(problems).toEqual([]);
  });
});
