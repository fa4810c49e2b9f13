export { LogWriterModule } from './log-writer.module.js';
export { LogWriterProcessor } from './log-writer.processor.js';
export type { StoreBatchOutcome } from './log-writer.processor.js';
