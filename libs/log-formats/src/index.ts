export { selectFormat } from './preset-query.js';
export type { LogMapper } from './mapped-record.js';
