import { LimitExceeded } from '#libs/errors';

/** INGEST_MAX_RECORDS_PER_REQUEST's answer, worded as for POST /v1/logs. */
export function tooManyRecords(maxRecords: number): LimitExceeded {
  return new LimitExceeded(`The request holds more than ${maxRecords} log records; send them in several requests.`, {
    max_records: maxRecords,
  });
}
