export { FileSource } from './file-source.js';
export { parseShipArgs } from './ship-args.js';
export { SinkCredentialsRefused } from './deliver-batch.js';
