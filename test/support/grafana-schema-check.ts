import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';

const PANELCFG = '@grafana/schema/dist/esm/raw/composable';

/**
 * The TypeScript source that checks one dashboard against Grafana's published model (@grafana/schema,
 * the version of the Grafana the stack runs): the dashboard JSON as an object literal that must
 * `satisfies` Dashboard, with each timeseries / stat / table panel's options and custom field config
 * typed by that panel's own generated schema. Object literals get excess-property checks, so a
 * misspelt or unknown field fails as surely as a wrong type.
 */
function checkSource(dashboardJson: string): string {
  return `import type { Dashboard, FieldConfig, FieldConfigSource, Panel, RowPanel } from '@grafana/schema';
import type { Options as TimeSeriesOptions, FieldConfig as TimeSeriesField } \
from '${PANELCFG}/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen.js';
import type { Options as StatOptions } from '${PANELCFG}/stat/panelcfg/x/StatPanelCfg_types.gen.js';
import type { Options as TableOptions, FieldConfig as TableField } from '${PANELCFG}/table/panelcfg/x/TablePanelCfg_types.gen.js';

// The schema's string enums (LegendDisplayMode…) as their literal values, which is what JSON holds.
type Json<T> = T extends string ? \`\${T}\` : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
type Typed<T extends string, O, C> = Omit<Panel, 'type' | 'options' | 'fieldConfig'> & {
  type: T;
  options?: O;
  fieldConfig?: Omit<FieldConfigSource, 'defaults'> & { defaults: Omit<FieldConfig, 'custom'> & { custom?: C } };
};
type KnownPanel = Typed<'timeseries', TimeSeriesOptions, TimeSeriesField> | Typed<'stat', StatOptions, Record<string, never>> \
| Typed<'table', TableOptions, TableField>;
type CheckedRow = Omit<RowPanel, 'panels'> & { panels: KnownPanel[] };
type CheckedDashboard = Omit<Dashboard, 'panels'> & { panels?: (KnownPanel | CheckedRow)[] };

export const dashboard = (${dashboardJson}) satisfies Json<CheckedDashboard>;
`;
}

/** Type-checks every dashboard file; returns the diagnostics as "file:line: message" (empty: valid). */
export function checkDashboards(files: string[], workDir: string): string[] {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const sources = files.map((file) => {
    const source = join(workDir, `${basename(file, '.json')}.check.ts`);
    writeFileSync(source, checkSource(readFileSync(file, 'utf8')));
    return source;
  });
  const program = ts.createProgram(sources, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined ? `${basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line}` : '';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
