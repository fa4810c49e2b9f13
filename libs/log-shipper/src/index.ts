export { LogShipper } from './log-shipper.js';
export { accessLogMiddleware } from './access-log-middleware.js';
export { queueSink } from './queue-sink.js';
export { httpSink } from './http-sink.js';
export { PermanentSinkError, RetryLaterError } from './log-sink.js';
export type { LogSink } from './log-sink.js';
