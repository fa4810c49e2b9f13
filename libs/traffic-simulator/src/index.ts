export { simulateTraffic } from './simulate.js';
export type { SimulationOptions, SimulationSummary } from './simulate.js';
export { parseSimulatorArgs } from './simulator-args.js';
