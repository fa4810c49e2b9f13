export { simulateTraffic } from './simulate.js';
export { parseSimulatorArgs } from './simulator-args.js';
