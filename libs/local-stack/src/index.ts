export { Supervisor } from './supervisor.js';
export { localStackOptions, localStackPrograms, alertmanagerBinary } from './local-stack.js';
export { localPrometheusConfig, localAlertmanagerConfig, scaledForRules, shippedRuleFiles } from './observability-config.js';
