export { TrafficGenerator } from './traffic-generator.js';
