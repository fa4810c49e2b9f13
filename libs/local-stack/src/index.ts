export { Supervisor } from './supervisor.js';
export type { ProgramSpec } from './supervisor.js';
export { localStackOptions, localStackPrograms, alertmanagerBinary } from './local-stack.js';
export type { LocalStackOptions } from './local-stack.js';
export {
  localPrometheusConfig,
  localAlertmanagerConfig,
  scaledForRules,
  durationSeconds,
  shippedRuleFiles,
} from './observability-config.js';
