export { SupportPageModule } from './support-page.module.js';
