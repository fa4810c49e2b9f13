import otlpRoot from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import protobuf from 'protobufjs/minimal.js';
import { LimitExceeded, MalformedInput } from '#libs/errors';
import { TimeSlicer } from '#libs/queue';
import { decodeLogRecord, protobufEnvelope } from './protobuf-envelope.js';

interface Encodable {
  encode(message: unknown): protobuf.Writer;
  decode(bytes: Uint8Array): { toJSON(): Record<string, unknown> };
}
const proto = (otlpRoot as unknown as { opentelemetry: { proto: Record<string, Record<string, Record<string, Encodable>>> } }).opentelemetry
  .proto;
const Request = (proto.collector.logs as unknown as { v1: Record<string, Encodable> }).v1.ExportLogsServiceRequest;
const ScopeLogs = proto.logs.v1.ScopeLogs;
const Resource = proto.resource.v1.Resource;

const record = (n: number) => ({
  timeUnixNano: 1_764_553_200_000_000_000n.toString(),
  attributes: [{ key: 'n', value: { intValue: n } }],
  body: { stringValue: `line ${n}` },
});
const service = (name: string) => ({ attributes: [{ key: 'service.name', value: { stringValue: name } }] });

describe('protobufEnvelope: log records found and decoded one by one, as the generated decoder reads them whole', () => {
  it('finds every record with its resource, in request order, equal to ExportLogsServiceRequest.decode', async () => {
    const body = Request.encode({
      resourceLogs: [
        { resource: service('a'), scopeLogs: [{ scope: { name: 's' }, logRecords: [record(0), record(1)] }, { logRecords: [record(2)] }] },
        { resource: service('b'), scopeLogs: [{ logRecords: [record(3)] }], schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
      ],
    }).finish();
    const whole = Request.decode(body).toJSON() as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }> };
    const expected = whole.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));

    const { resources, spans } = await protobufEnvelope(body, 100, new TimeSlicer());
    const records = spans.map((span) => (decodeLogRecord(body, span) as unknown as { toJSON(): unknown }).toJSON());
    expect(records).toEqual(expected);
    expect(spans.map((span) => span.resource)).toEqual([0, 0, 0, 1]);
    expect(resources.map((r) => (r as unknown as { toJSON(): unknown }).toJSON())).toEqual([service('a'), service('b')]);
  });

  it('reads a ResourceLogs whose resource comes after its scope logs (field order is free in protobuf)', async () => {
    const scopeLogs = ScopeLogs.encode({ logRecords: [record(7)] }).finish();
    const resource = Resource.encode(service('late')).finish();
    const resourceLogs = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(scopeLogs)
      .uint32((1 << 3) | 2)
      .bytes(resource)
      .finish();
    const body = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(resourceLogs)
      .finish();
    const { resources, spans } = await protobufEnvelope(body, 100, new TimeSlicer());
    expect(spans).toHaveLength(1);
    expect((resources[spans[0].resource] as unknown as { toJSON(): unknown }).toJSON()).toEqual(service('late'));
  });

  it('refuses more than maxRecords records before decoding any (413)', async () => {
    const body = Request.encode({ resourceLogs: [{ scopeLogs: [{ logRecords: [record(0), record(1), record(2)] }] }] }).finish();
    await expect(protobufEnvelope(body, 2, new TimeSlicer())).rejects.toBeInstanceOf(LimitExceeded);
    await expect(protobufEnvelope(body, 3, new TimeSlicer())).resolves.toMatchObject({ spans: expect.any(Array) });
  });

  it('answers MalformedInput (400) for bytes that are not protobuf, or cut off', async () => {
    const body = Request.encode({ resourceLogs: [{ scopeLogs: [{ logRecords: [record(0)] }] }] }).finish();
    for (const bad of [
      Buffer.from('{"resourceLogs": []}'),
      body.subarray(0, body.length - 3),
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
    ]) {
      await expect(protobufEnvelope(bad, 100, new TimeSlicer())).rejects.toBeInstanceOf(MalformedInput);
    }
  });

  it('reads an empty request as no records', async () => {
    await expect(protobufEnvelope(new Uint8Array(0), 100, new TimeSlicer())).resolves.toEqual({ resources: [], spans: [] });
  });
});
