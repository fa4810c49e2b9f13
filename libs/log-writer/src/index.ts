export { LogWriterModule } from './log-writer.module.js';
export { LogWriterProcessor } from './log-writer.processor.js';
