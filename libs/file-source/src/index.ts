export { FileSource, FILE_SOURCE_LIMITS } from './file-source.js';
export type { FileSourceOptions } from './file-source.js';
export { parseShipArgs, SHIP_USAGE } from './ship-args.js';
export { readCheckpoint } from './checkpoint.js';
