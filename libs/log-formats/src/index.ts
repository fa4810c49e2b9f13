export { LOG_FORMATS, selectFormat } from './preset-query.js';
export type { LogMapper } from './mapped-record.js';
