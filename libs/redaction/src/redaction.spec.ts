import { storedClientIp } from './client-ip.js';
import { redactJson } from './redact-json.js';
import { redactText } from './redact-text.js';
import { normaliseName, REDACTED } from './secret-names.js';

const denied = new Set(['password', 'secret', 'token', 'authorization', 'api_key', 'cookie'].map(normaliseName));

describe('redactJson', () => {
  it('replaces secret-named values at any depth, whatever their spelling, and keeps the rest', () => {
    const input = {
      password: 'hunter2',
      user: { name: 'ada', apiKey: 'sk_live_1', headers: { Authorization: 'Bearer x', 'X-Api-Key': 'k', Accept: 'json' } },
      list: [{ refresh_token: 'r', clientSecret: { nested: 1 } }, 'plain'],
      redirect_url: ['The redirect url must be a valid URL.'],
    };
    expect(redactJson(input, denied)).toEqual({
      password: REDACTED,
      user: { name: 'ada', apiKey: REDACTED, headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, Accept: 'json' } },
      list: [{ refresh_token: REDACTED, clientSecret: REDACTED }, 'plain'],
      redirect_url: ['The redirect url must be a valid URL.'],
    });
    expect(input.password).toBe('hunter2');
  });
});

describe('redactText', () => {
  it('masks secret pairs and bearer credentials in free text, nothing else', () => {
    expect(redactText('login failed: password=hunter2&user=ada', denied)).toBe(`login failed: password=${REDACTED}&user=ada`);
    expect(redactText('{"api_key": "sk_live_1", "id": 3}', denied)).toBe(`{"api_key": "${REDACTED}", "id": 3}`);
    expect(redactText('header Authorization: Bearer eyJhbGciOi.x.y rejected', denied)).toBe(
      `header Authorization: ${REDACTED} ${REDACTED} rejected`,
    );
    expect(redactText('upstream said Bearer abc.def', denied)).toBe(`upstream said Bearer ${REDACTED}`);
    expect(redactText("failed: token='a b c' retry", denied)).toBe(`failed: token='${REDACTED}' retry`);
    expect(redactText('Session already declined.', denied)).toBe('Session already declined.');
  });
});

describe('storedClientIp', () => {
  it('keeps, truncates (/24, /48) or hashes', () => {
    expect(storedClientIp('203.0.113.77', 'full')).toBe('203.0.113.77');
    expect(storedClientIp('203.0.113.77', 'truncate')).toBe('203.0.113.0');
    expect(storedClientIp('::ffff:203.0.113.77', 'truncate')).toBe('203.0.113.0');
    expect(storedClientIp('2001:db8:85a3::8a2e:370:7334', 'truncate')).toBe('2001:db8:85a3::');
    expect(storedClientIp('2001:db8::1', 'truncate')).toBe('2001:db8:0::');
    expect(storedClientIp('not an ip', 'truncate')).toBeNull();
    const hashed = storedClientIp('203.0.113.77', 'hash', 'k'.repeat(16));
    expect(hashed).toMatch(/^hmac:[0-9a-f]{32}$/);
    expect(storedClientIp('203.0.113.77', 'hash', 'k'.repeat(16))).toBe(hashed);
    expect(storedClientIp('203.0.113.77', 'hash', 'j'.repeat(16))).not.toBe(hashed);
    expect(storedClientIp(null, 'hash', 'k'.repeat(16))).toBeNull();
  });
});
