export { exportLogsAnswer } from './export-response.js';
export { otlpEncoding, otlpLogLines } from './otlp-request.js';
