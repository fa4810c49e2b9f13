export { WindowCounterModule } from './window-counter.module.js';
export { WindowCounter } from './window-counter.js';
export type { WindowCount } from './window-counter.js';
