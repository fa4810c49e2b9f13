import { fixture } from './fixture-lines.js';
import { selectFormat } from './preset-query.js';

const mapperOf = (query: Record<string, string>) => selectFormat({ format: 'generic', ...query }).mapper!;

/**
 * fixtures/fluent-bit.json: Fluent Bit's http output with `format json` (an array; the time under
 * `json_date_key` "date" as epoch seconds, `json_date_format` double:
 * https://docs.fluentbit.io/manual/pipeline/outputs/http). fixtures/vector.ndjson: Vector's http sink
 * with `encoding.codec = "json"` and newline-delimited framing, after a remap that names the fields
 * like the record (https://vector.dev/docs/reference/configuration/sinks/http/).
 */
describe('generic preset', () => {
  it('reads dotted paths, numbers as strings, and epoch seconds (Fluent Bit)', () => {
    const map = mapperOf({
      'map.requestId': 'req_id',
      'map.timestamp': 'date',
      'map.path': 'request_uri',
      'map.status': 'resp.code',
      'map.error': 'resp.error_code',
      'map.durationMs': 'latency_ms',
      'map.clientIp': 'remote_addr',
      'map.userAgent': 'http_user_agent',
    });
    const [conflict, listed] = (fixture('fluent-bit.json') as unknown[]).map(map);
    expect(conflict).toEqual({
      ok: true,
      candidate: {
        requestId: 'fb_req_1',
        timestamp: '2025-11-30T14:02:11.532Z',
        method: 'DELETE',
        path: '/v1/keys/key_9',
        status: 409,
        durationMs: 8.5,
        error: 'conflict',
        clientIp: '192.0.2.7',
        userAgent: 'terraform/1.9',
      },
    });
    expect(listed).toEqual({ ok: true, candidate: expect.objectContaining({ status: 200, durationMs: 2 }) });
    expect(listed.ok && listed.candidate).not.toHaveProperty('userAgent');
  });

  it('reads a field without a map entry under its own name (Vector after a remap)', () => {
    const [line] = fixture('vector.ndjson') as unknown[];
    expect(mapperOf({})(line)).toEqual({
      ok: true,
      candidate: {
        requestId: 'vec_1',
        timestamp: '2026-11-30T14:02:11.532118Z',
        method: 'GET',
        path: '/v1/users/usr_12',
        route: '/v1/users/:id',
        status: 200,
        durationMs: 4.2,
        message: 'request done',
        apiKeyId: 'key_live_7',
      },
    });
  });

  it('converts seconds and millisecond timestamps as the units say, and indexes arrays', () => {
    const map = mapperOf({ 'map.durationMs': 'timing.0', 'map.timestamp': 'ts', durationUnit: 's', timestampUnit: 'ms' });
    expect(map({ timing: ['0.25'], ts: 1764511331000 })).toEqual({
      ok: true,
      candidate: { timestamp: '2025-11-30T14:02:11.000Z', durationMs: 250 },
    });
  });

  it('answers per-field errors naming the mapped path', () => {
    expect(mapperOf({ 'map.status': 'resp.code' })({ resp: { code: 'teapot' } })).toEqual({
      ok: false,
      details: { status: ['must be a whole number (from "resp.code")'] },
    });
    expect(mapperOf({})([{}])).toEqual({ ok: false, details: { record: ['must be a JSON object (a log event)'] } });
  });
});
