export { SupportPageModule } from './support-page.module.js';
export { nextStep } from './next-step.js';
export type { Neighbor, Spike, StoredRequest } from './api-answers.js';
