export { selectFormat, LOG_FORMATS, MAX_MAP_PATH_DEPTH, MAX_QUERY_PARAMETERS } from './preset-query.js';
export type { LogFormat, SelectedFormat } from './preset-query.js';
export type { LogMapper, MappedRecord } from './mapped-record.js';
export { mapNginx } from './nginx.preset.js';
export { mapEnvoy } from './envoy.preset.js';
export { mapKong } from './kong.preset.js';
