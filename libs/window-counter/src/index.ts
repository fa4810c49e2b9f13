export { WindowCounterModule } from './window-counter.module.js';
export { WindowCounter } from './window-counter.js';
