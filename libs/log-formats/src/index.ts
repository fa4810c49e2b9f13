export { LOG_FORMATS, selectFormat } from './preset-query.js';
export { mapOtlp } from './otlp.preset.js';
export type { LogMapper } from './mapped-record.js';
