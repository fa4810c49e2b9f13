import { MalformedInput } from '#libs/errors';
import { type Resource, ResourceType } from './otlp-definitions.js';
import { tooManyRecords } from './record-count.js';

export interface JsonRequest {
  resources: Resource[];
  /** Each log record as parsed, not yet checked against the LogRecord message, with its resource's index. */
  records: Array<{ raw: unknown; resource: number }>;
}

/**
 * The envelopes of an OTLP/JSON ExportLogsServiceRequest (`resourceLogs[].scopeLogs[].logRecords[]`,
 * lowerCamelCase keys as the OTLP JSON encoding has them): the records are counted (over `maxRecords`:
 * 413) and left as parsed for the generated `LogRecord.fromObject` to read one at a time. Resources
 * go through the generated `Resource.fromObject`. Not UTF-8, not JSON, or not that shape: MalformedInput (400).
 */
export function jsonEnvelope(body: Uint8Array, maxRecords: number): JsonRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (err) {
    throw new MalformedInput('The request body is not UTF-8 JSON.', { body: [(err as Error).message] });
  }
  const request: JsonRequest = { resources: [], records: [] };
  for (const [r, resourceLogs] of listAt(parsed, 'resourceLogs', '').entries()) {
    const where = `resourceLogs[${r}]`;
    request.resources.push(resourceOf(objectAt(resourceLogs, where).resource, where));
    for (const [s, scopeLogs] of listAt(resourceLogs, 'scopeLogs', where).entries()) {
      for (const raw of listAt(scopeLogs, 'logRecords', `${where}.scopeLogs[${s}]`)) {
        if (request.records.length === maxRecords) throw tooManyRecords(maxRecords);
        request.records.push({ raw, resource: r });
      }
    }
  }
  return request;
}

function notOtlp(field: string, message: string): MalformedInput {
  return new MalformedInput('The request body is not an OTLP/JSON ExportLogsServiceRequest.', { [field || 'body']: [message] });
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notOtlp(where, 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** `value[key]` as an array: absent or null is empty (proto3 JSON), anything else not an array is refused. */
function listAt(value: unknown, key: string, where: string): unknown[] {
  const list = objectAt(value, where)[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw notOtlp(where ? `${where}.${key}` : key, 'must be a JSON array');
  return list;
}

function resourceOf(value: unknown, where: string): Resource {
  if (value === undefined || value === null) return {};
  try {
    return ResourceType.fromObject(objectAt(value, `${where}.resource`));
  } catch (err) {
    if (err instanceof MalformedInput) throw err;
    throw notOtlp(`${where}.resource`, (err as Error).message);
  }
}
