import { validateRecord } from './validate-record.js';

const limits = { maxFutureSkewSeconds: 3600, maxAgeDays: 30 };
const now = new Date('2026-11-25T12:00:00Z');
const valid = {
  requestId: 'req_01HZX',
  timestamp: '2026-11-25T11:59:00.123+01:00',
  method: 'post',
  path: '/v1/sessions/ses_9a8b7c6d?expand=steps',
  status: 422,
  durationMs: 12.5,
  error: 'validation_error',
  message: 'The given data was invalid.',
  details: { redirect_url: ['The redirect url must be a valid URL.'] },
  apiKeyId: 'key_123',
};

describe('validateRecord', () => {
  it.each(['2026-02-29T10:00:00Z', '2026-09-31T10:00:00.000Z', '2026-11-24T24:00:00Z', '2026-11-24T10:60:00+01:00'])(
    'rejects %s, which Date.parse alone would roll over into another day, as not a real date-time',
    (timestamp) => {
      const result = validateRecord({ ...valid, timestamp }, { ...limits, maxAgeDays: 400 }, now);
      expect(result).toEqual({ ok: false, details: { timestamp: ['is not a real date-time'] } });
    },
  );

  it('keeps a timestamp already in the stored form as sent, and normalises any other to it', () => {
    const check = (timestamp: string) => {
      const result = validateRecord({ ...valid, timestamp }, { ...limits, maxAgeDays: 400 }, now);
      return result.ok ? result.record.timestamp : result.details;
    };
    expect(check('2026-11-25T10:15:42.123Z')).toBe('2026-11-25T10:15:42.123Z');
    expect(check('2028-02-29T10:15:42.123Z')).toEqual({ timestamp: ['is in the future'] });
    expect(check('2024-02-29T10:15:42.123Z')).toEqual({ timestamp: ['is older than the 400-day ingest window'] });
    expect(check('2026-02-28T23:59:59.999Z')).toBe('2026-02-28T23:59:59.999Z');
    expect(check('2026-11-25T11:15:42+01:00')).toBe('2026-11-25T10:15:42.000Z');
    expect(check('2026-11-25t10:15:42.1234z')).toBe('2026-11-25T10:15:42.123Z');
  });

  it('normalises a valid record', () => {
    const result = validateRecord(valid, limits, now);
    expect(result).toEqual({
      ok: true,
      record: expect.objectContaining({
        requestId: 'req_01HZX',
        timestamp: '2026-11-25T10:59:00.123Z',
        method: 'POST',
        path: '/v1/sessions/ses_9a8b7c6d',
        route: '/v1/sessions/:id',
        status: 422,
        retryAfter: null,
        clientIp: null,
      }),
    });
  });

  it('keeps a given route template but strips its query', () => {
    const result = validateRecord({ ...valid, route: '/v1/sessions/:id?x=1' }, limits, now);
    expect(result.ok && result.record.route).toBe('/v1/sessions/:id');
  });

  it('reports every missing required field', () => {
    const result = validateRecord({}, limits, now);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.details).sort()).toEqual(['durationMs', 'method', 'path', 'requestId', 'status', 'timestamp']);
      expect(result.details.status).toEqual(['is required']);
    }
  });

  it.each([
    ['requestId', 'has spaces'],
    ['requestId', 'x'.repeat(129)],
    ['requestId', 42],
    ['timestamp', '2026-11-25'],
    ['timestamp', '2026-11-25T10:00:00'],
    ['timestamp', '2026-13-45T10:00:00Z'],
    ['timestamp', '2026-11-25T14:00:01Z'],
    ['timestamp', '2026-01-01T00:00:00Z'],
    ['method', 'GET /'],
    ['path', 'v1/no-slash'],
    ['path', '/v1/\u0000'],
    ['status', 99],
    ['status', 600],
    ['status', '200'],
    ['status', 200.5],
    ['durationMs', -1],
    ['durationMs', '5'],
    ['durationMs', 1e308],
    ['durationMs', 86_400_001],
    ['method', 'ßß'],
    ['retryAfter', -3],
    ['retryAfter', 1.5],
    ['error', 12],
    ['message', 'nul\u0000byte'],
    ['details', 'a string'],
    ['details', { text: 'nul\u0000' }],
    ['details', { text: '\ud800 lone surrogate' }],
    ['route', 'no-leading-slash'],
  ])('rejects %s = %j with a message for that field', (field, value) => {
    const result = validateRecord({ ...valid, [field]: value }, limits, now);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.details)).toEqual([field]);
      expect(result.details[field][0]).toEqual(expect.any(String));
    }
  });

  it.each([null, 'text', 3, [valid]])('rejects a non-object record %j', (input) => {
    expect(validateRecord(input, limits, now)).toEqual({ ok: false, details: { record: ['must be a JSON object'] } });
  });

  it('accepts a 429 with retryAfter and the documented error body', () => {
    const result = validateRecord(
      { ...valid, status: 429, error: 'rate_limit_exceeded', retryAfter: 30, details: { retry_after: 30 } },
      limits,
      now,
    );
    expect(result.ok && result.record.retryAfter).toBe(30);
  });

  it('rejects text Postgres would not store as sent (NUL, unpaired surrogates), keeps real emoji', () => {
    for (const bad of ['a\u0000b', 'x\ud800', '\udc00y']) {
      const result = validateRecord({ ...valid, message: bad, path: `/v1/${bad}` }, limits, now);
      expect(result.ok ? [] : Object.keys(result.details).sort()).toEqual(['message', 'path']);
    }
    expect(validateRecord({ ...valid, message: 'ok \ud83d\ude00' }, limits, now).ok).toBe(true);
  });

  it('accepts what the columns and rollup sums hold, refuses what they do not (issue 12 #3: 1e308 made a rollup sum Infinity)', () => {
    expect(validateRecord({ ...valid, durationMs: 86_400_000 }, limits, now).ok).toBe(true);
    expect(validateRecord({ ...valid, durationMs: 1e308 }, limits, now)).toEqual({
      ok: false,
      details: { durationMs: ['must be at most 86400000 milliseconds (one day)'] },
    });
  });

  it('refuses details nested deeper than 32 levels (issue 12 #4: 3000 levels overflowed redaction)', () => {
    const deep = JSON.parse(`${'{"n":'.repeat(3000)}1${'}'.repeat(3000)}`) as unknown;
    expect(validateRecord({ ...valid, details: deep }, limits, now)).toEqual({
      ok: false,
      details: { details: ['must not nest arrays and objects more than 32 levels deep'] },
    });
  });

  it('bounds the route template an index stores, derived ones included', () => {
    const manyIds = `/v1${'/1'.repeat(200)}`; // 403 characters, a 707-character template
    expect(validateRecord({ ...valid, path: manyIds }, limits, now)).toEqual({
      ok: false,
      details: { path: ['makes a route template longer than 512 characters; send a "route" with it'] },
    });
    expect(validateRecord({ ...valid, path: manyIds, route: '/v1/:id' }, limits, now)).toMatchObject({
      ok: true,
      record: { route: '/v1/:id', path: manyIds },
    });
    expect(validateRecord({ ...valid, route: `/${'é'.repeat(511)}` }, limits, now).ok).toBe(true);
    expect(validateRecord({ ...valid, route: `/${'é'.repeat(512)}` }, limits, now).ok).toBe(false);
  });
});
