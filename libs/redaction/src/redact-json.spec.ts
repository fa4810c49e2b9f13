import { loadConfig } from '#libs/config';
import { validateRecord } from '#libs/access-log';
import { redactJson } from './redact-json.js';
import { REDACTION_CONFIG } from './redaction.config.js';
import { Redactor } from './redactor.js';
import { normaliseName, REDACTED } from './secret-names.js';

const config = loadConfig([REDACTION_CONFIG], {}).redaction;
const denied = new Set(config.fields.map(normaliseName));
const R = REDACTED;

describe('redactJson', () => {
  it('masks header lists by their entry names, as objects or as pairs', () => {
    const details = {
      headers: [
        { name: 'Authorization', value: 'Token x1' },
        { name: 'Accept', value: 'application/json' },
      ],
      params: [
        { key: 'X-Api-Key', value: 'k1' },
        { Key: 'client_secret', Values: ['s1'] },
        { key: 'page', value: '2' },
      ],
      entries: [
        ['authorization', 'Token x2'],
        ['cookie', 'sid=1'],
        ['accept', '*/*'],
      ],
      missing: ['password', 'email'],
    };
    expect(redactJson(details, denied)).toEqual({
      headers: [
        { name: 'Authorization', value: R },
        { name: 'Accept', value: 'application/json' },
      ],
      params: [
        { key: 'X-Api-Key', value: R },
        { Key: 'client_secret', Values: R },
        { key: 'page', value: '2' },
      ],
      entries: [
        ['authorization', R],
        ['cookie', R],
        ['accept', '*/*'],
      ],
      missing: ['password', 'email'],
    });
  });

  it('masks credentials inside string values, not only under secret keys', () => {
    expect(redactJson({ note: 'retried with Bearer eyJabc', log: ['login password=hunter2 ok'], q: 'a=1&token%3Dxyz' }, denied)).toEqual({
      note: `retried with Bearer ${R}`,
      log: [`login password=${R} ok`],
      q: `a=1&token%3D${R}`,
    });
    expect(redactJson('Authorization: Token abc', denied)).toBe(`Authorization: ${R} ${R}`);
  });

  it('masks the newer secret names by key', () => {
    const input = {
      credentials: { user: 'u' },
      auth: 'a',
      jwt: 'j',
      session_id: 's',
      sessionId: 's',
      passphrase: 'p',
      'x-amz-signature': 'g',
      author: 'ada',
    };
    expect(redactJson(input, denied)).toEqual({
      credentials: R,
      auth: R,
      jwt: R,
      session_id: R,
      sessionId: R,
      passphrase: R,
      'x-amz-signature': R,
      author: 'ada',
    });
  });

  it('walks without recursion: a million levels or a cycle are masked past its depth bound, never a stack overflow', () => {
    let deep: unknown = 'Bearer leaf';
    for (let i = 0; i < 1_000_000; i++) deep = { n: deep };
    let out = redactJson(deep, denied) as { n: unknown };
    let levels = 0;
    while (typeof out === 'object') [out, levels] = [out.n as { n: unknown }, levels + 1];
    expect([levels, out]).toEqual([64, R]);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(JSON.stringify(redactJson(cyclic, denied))).toMatch(/"\[REDACTED\]"/);
  });

  it('keeps a "__proto__" key as data and leaves the input untouched', () => {
    const input = JSON.parse('{"__proto__": {"password": "x"}, "list": [1, null, true]}') as object;
    const out = redactJson(input, denied) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(`{"__proto__":{"password":"${R}"},"list":[1,null,true]}`);
    expect(JSON.stringify(input)).toContain('"x"');
  });
});

describe('Redactor', () => {
  const redactor = new Redactor(config);
  const record = (overrides: Record<string, unknown>) => {
    const result = validateRecord(
      { requestId: 'r1', timestamp: new Date().toISOString(), method: 'GET', path: '/v1/x', status: 401, durationMs: 1, ...overrides },
      { maxFutureSkewSeconds: 60, maxAgeDays: 1 },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.details));
    return result.record;
  };

  it('masks every string field: path and route remnants, error, message, user agent, key id', () => {
    const out = redactor.redact(
      record({
        path: '/v1/login;jsessionid=ABC123',
        error: 'token=abc',
        message: 'Authorization: Digest username="u", response="r"',
        userAgent: 'curl/8 (Authorization: Bearer eyJua)',
        apiKeyId: 'Bearer sk_live_1',
        details: { h: 'AWS4-HMAC-SHA256 Credential=AKID/x, Signature=s' },
      }),
    );
    expect(out).toMatchObject({
      path: `/v1/login;jsessionid=${R}`,
      route: `/v1/login;jsessionid=${R}`,
      error: `token=${R}`,
      message: `Authorization: ${R} ${R}`,
      userAgent: `curl/8 (Authorization: ${R} ${R})`,
      apiKeyId: `Bearer ${R}`,
      details: { h: `AWS4-HMAC-SHA256 ${R}` },
    });
  });

  it('keeps an index key within its byte bound however much masking lengthens it', () => {
    const short = new Redactor(loadConfig([REDACTION_CONFIG], { REDACT_FIELDS: 'p' }).redaction);
    const out = short.redact(record({ error: 'p=1,'.repeat(32), route: `/${'p=1,'.repeat(127)}` }));
    expect(out).toMatchObject({ error: R, route: `/${R}` });
    expect(short.redact(record({ error: 'p=1' })).error).toBe(`p=${R}`);
  });

  it('returns records with nothing to mask unchanged', () => {
    const plain = record({
      path: '/v1/sessions/ses_8f2k91ab',
      message: 'Session already declined.',
      details: { redirect_url: ['must be a URL'] },
      userAgent: 'verilock-node/3.1',
    });
    expect(redactor.redact(plain)).toEqual(plain);
  });
});
