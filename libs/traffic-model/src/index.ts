export { TrafficGenerator } from './traffic-generator.js';
export type { SimulatedRecord, TrafficOptions } from './traffic-generator.js';
export { ENDPOINTS } from './verilock-routes.js';
