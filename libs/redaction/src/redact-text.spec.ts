import fc from 'fast-check';
import { loadConfig } from '#libs/config';
import { redactText } from './redact-text.js';
import { REDACTION_CONFIG } from './redaction.config.js';
import { normaliseName, REDACTED } from './secret-names.js';

/** The default REDACT_FIELDS, as the service reads them. */
const denied = new Set(loadConfig([REDACTION_CONFIG], {}).redaction.fields.map(normaliseName));
const R = REDACTED;

describe('redactText: the gaps of issue 12 #12', () => {
  it.each([
    // any Authorization scheme, not only Bearer/Basic
    ['Authorization: Token tok_9f8e7d', `Authorization: ${R} ${R}`],
    ['authorization=Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1', `authorization=${R} ${R}`],
    [
      'Authorization: Digest username="Mufasa", realm="x@y", nonce="dcd98b", response="6629fae49393a05397450978507c4ef1" then',
      `Authorization: ${R} ${R} then`,
    ],
    [
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      `Authorization: ${R} ${R}`,
    ],
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: ${R} ${R}`],
    ['X-Auth: Token abc123', `X-Auth: ${R} ${R}`],
    // schemes that are no English word, anywhere
    ['upstream sent Digest username="u", response="abc"', `upstream sent Digest ${R}`],
    ['signed AWS4-HMAC-SHA256 Credential=AKID/2015/x, Signature=abc', `signed AWS4-HMAC-SHA256 ${R}`],
    ['got bearer eyJhbGciOi.eyJzdWIi.sig', `got bearer ${R}`],
    // more names
    ['credentials=user:pass', `credentials=${R}`],
    ['auth=s3cr3t, jwt=eyJx; session_id=abc&sessionid=def', `auth=${R}, jwt=${R}; session_id=${R}&sessionid=${R}`],
    // an Authorization-like name takes a scheme and its credentials, even when that swallows a pair after it
    ['auth=s3cr3t jwt=eyJx', `auth=${R} ${R}`],
    ['{"passphrase": "correct horse", "signature": "ab12"}', `{"passphrase": "${R}", "signature": "${R}"}`],
    // URL-encoded
    ['q=password%3Dhunter2%26user%3Dada', `q=password%3D${R}%26user%3Dada`],
    ['header=Authorization%3A%20Bearer%20eyJabc%2Fdef%3D', `header=Authorization%3A%20${R}%20${R}`],
    ['x%20Bearer%20eyJabc%2B1 y', `x%20Bearer%20${R} y`],
    ['%22token%22%3A%22abc%22', `%22token%22%3A${R}`],
    ['next=%2Flogin%3Ftoken%3Dabc', `next=%2Flogin%3Ftoken%3D${R}`],
  ])('%s', (input, expected) => {
    expect(redactText(input, denied)).toBe(expected);
  });

  it('leaves text with nothing secret alone', () => {
    for (const text of [
      'Session already declined.',
      '/v1/sessions/:id',
      'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101',
      'The redirect url must be a valid URL.',
      'Token expired, sign in again',
      'a digest of events',
      'author: ada',
      'missing fields: email, name',
    ]) {
      expect(redactText(text, denied)).toBe(text);
    }
  });

  it('never leaves a secret behind, wherever it sits in text, and masking twice changes nothing', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/).map((s) => `S3CR3T${s}`);
    const filler = fc.constantFrom('', 'x ', 'login failed: ', 'a=1&', '{"user": "ada", ', 'Mozilla/5.0 ', '%20');
    const shape = fc.constantFrom(
      (s: string) => `password=${s}`,
      (s: string) => `Authorization: Token ${s}`,
      (s: string) => `Bearer ${s}`,
      (s: string) => `"api_key": "${s}"`,
      (s: string) => `jwt%3D${s}`,
      (s: string) => `Authorization%3A%20Bearer%20${s}`,
      (s: string) => `Digest username="${s}", response="${s}"`,
      (s: string) => `token='${s} more'`,
    );
    fc.assert(
      fc.property(filler, shape, secret, filler, (before, make, s, after) => {
        const once = redactText(before + make(s) + after, denied);
        expect(once).not.toContain('S3CR3T');
        expect(redactText(once, denied)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('reads long hostile text once, not once per position', () => {
    // A name scanned from every position of a long word (quadratic) took seconds at 1 MB; linear, it is instant.
    const hostile = ['a'.repeat(1_000_000) + ' b:', 'Digest a="'.repeat(100_000), 'password='.repeat(100_000), '%3D'.repeat(300_000) + 'x'];
    for (const text of hostile) expect(typeof redactText(text, denied)).toBe('string');
  });
});
