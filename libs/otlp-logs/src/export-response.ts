import type { FieldErrors } from '#libs/access-log';
import { ExportLogsServiceResponseType } from './otlp-definitions.js';
import type { OtlpEncoding } from './otlp-request.js';

/** Rejected records named in `error_message`; the rest are counted in `rejected_log_records`. */
const NAMED_REJECTIONS = 10;

export interface ExportLogsAnswer {
  contentType: string;
  body: Buffer;
}

interface IngestOutcome {
  accepted: number;
  rejected: Array<{ index: number; details: FieldErrors }>;
  rejectedCount: number;
}

/**
 * The 200 answer of an OTLP/HTTP export, in the request's encoding: an empty ExportLogsServiceResponse
 * when every record was accepted, else `partial_success` with the number rejected and a message naming
 * the first few (by their position in the request, resources and scopes flattened) and their fields.
 */
export function exportLogsAnswer(encoding: OtlpEncoding, outcome: IngestOutcome): ExportLogsAnswer {
  const partialSuccess =
    outcome.rejectedCount === 0 ? undefined : { rejectedLogRecords: outcome.rejectedCount, errorMessage: describe(outcome) };
  if (encoding === 'json') {
    // OTLP/JSON: int64 as a decimal string (the protobuf JSON mapping), lowerCamelCase keys.
    const json =
      partialSuccess === undefined
        ? {}
        : { partialSuccess: { ...partialSuccess, rejectedLogRecords: String(partialSuccess.rejectedLogRecords) } };
    return { contentType: 'application/json', body: Buffer.from(JSON.stringify(json)) };
  }
  const bytes = ExportLogsServiceResponseType.encode(partialSuccess === undefined ? {} : { partialSuccess }).finish();
  return { contentType: 'application/x-protobuf', body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function describe({ accepted, rejected, rejectedCount }: IngestOutcome): string {
  const named = rejected.slice(0, NAMED_REJECTIONS).map(({ index, details }) => {
    const fields = Object.entries(details).map(([field, messages]) => `${field} ${messages.join(', ')}`);
    return `#${index}: ${fields.join('; ')}`;
  });
  const more = rejectedCount > named.length ? ` (and ${rejectedCount - named.length} more)` : '';
  return `${rejectedCount} of ${accepted + rejectedCount} log records rejected: ${named.join(' | ')}${more}`;
}
