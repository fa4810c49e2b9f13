export { SupportPageModule } from './support-page.module.js';
export { nextStep } from './next-step.js';
