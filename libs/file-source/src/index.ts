export { FileSource } from './file-source.js';
export { parseShipArgs } from './ship-args.js';
