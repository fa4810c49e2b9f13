import { TimeSlicer } from '#libs/queue';
import protobuf from 'protobufjs/minimal.js';
import { nanosText } from './any-value.js';
import { otlpLogLines } from './otlp-request.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const attribute = (key: string, value: Record<string, unknown>) => ({ key, value });

describe('otlpLogLines (OTLP/JSON): records as plain lines for the preset', () => {
  it("overlays each record's attributes on its resource's, ints as numbers, and leaves hex trace ids alone", async () => {
    const body = json({
      resourceLogs: [
        {
          resource: {
            attributes: [attribute('service.name', { stringValue: 'api' }), attribute('http.route', { stringValue: '/from/resource' })],
          },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1764511331310000000',
                  traceId: '5b8efff798038103d269b633813fc60c',
                  body: { kvlistValue: { values: [attribute('error', { stringValue: 'conflict' })] } },
                  attributes: [
                    attribute('http.route', { stringValue: '/from/record' }),
                    attribute('http.response.status_code', { intValue: '409' }),
                    attribute('__proto__', { boolValue: true }),
                    attribute('http.request.header.x-request-id', { arrayValue: { values: [{ stringValue: 'req_1' }] } }),
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const { count, candidates } = await otlpLogLines(body, 'json', 10, new TimeSlicer());
    const [only] = [...candidates] as Array<{ index: number; value: { attributes: Record<string, unknown> } }>;
    expect(count).toBe(1);
    expect(only.index).toBe(0);
    expect({ ...only.value, attributes: { ...only.value.attributes } }).toEqual({
      attributes: {
        'service.name': 'api',
        'http.route': '/from/record',
        'http.response.status_code': 409,
        ['__proto__']: true,
        'http.request.header.x-request-id': ['req_1'],
      },
      timeUnixNano: '1764511331310000000',
      observedTimeUnixNano: undefined,
      body: expect.objectContaining({ error: 'conflict' }),
    });
  });

  it('rejects a record the generated LogRecord.fromObject refuses on its own, keeping the others', async () => {
    const body = json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'a', value: 'not an AnyValue' }] }, {}] }] }] });
    const { candidates } = await otlpLogLines(body, 'json', 10, new TimeSlicer());
    expect([...candidates]).toEqual([
      { index: 0, invalid: { record: [expect.stringContaining('is not an OTLP LogRecord')] } },
      { index: 1, value: expect.objectContaining({ attributes: {} }) },
    ]);
  });
});

describe('nanosText: a Long as its exact decimal string without Long.toString', () => {
  it('agrees with Long.toString for nanosecond times, millisecond boundaries included', () => {
    // The Long class protobufjs decodes int64 into (long.js, its dependency).
    const Long = protobuf.util.Long as unknown as { fromString(text: string, unsigned: boolean): { high: number; low: number } };
    for (const text of ['1764511331310999999', '1764511331311000000', '4102444799999999999', '18446744073709551615', '999999', '1', '0']) {
      expect(nanosText(Long.fromString(text, true))).toBe(text);
      expect(nanosText(Long.fromString(text === '18446744073709551615' ? '9223372036854775807' : text, false))).toBe(
        text === '18446744073709551615' ? '9223372036854775807' : text,
      );
    }
  });
});
