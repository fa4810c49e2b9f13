import { isSecretName, normaliseName, REDACTED } from './secret-names.js';

// Every rule below needs a name followed by a separator, or one of these scheme words: text with
// neither (most paths, routes, codes and messages) is returned after this one test.
const MAY_HOLD_SECRET = /[\w"'%-]\s*(?:[:=]|%3[ad])|bearer|basic|ntlm|digest|aws4-/i;
/** The scheme words alone: all MAY_HOLD_SECRET can find in text without `:`, `=` or `%` (most paths). */
const SCHEME_WORD = /b(?:earer|asic)|ntlm|digest|aws4-/i;

/** Whitespace, or its URL-encoded form. */
const SPACE = String.raw`(?:\s|%20)+`;
/** RFC 7235 token68 (base64-like), with the characters URL encoding escapes in it. */
const TOKEN68 = String.raw`(?:[A-Za-z0-9._~+/=-]|%(?:2[BbFf]|3[Dd]))+`;
/** RFC 7235 auth-params: `name=value, name="quoted"` (Digest, AWS4-HMAC-SHA256). Values are read loosely: AWS's hold "/". */
const AUTH_PARAM = String.raw`[\w!#$&'*+.^|~-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s,"]*)`;
const AUTH_PARAMS = String.raw`${AUTH_PARAM}(?:\s*,\s*${AUTH_PARAM})*`;

/**
 * Credentials after a scheme that is no English word, anywhere in text: `Bearer`/`Basic`/`NTLM`
 * with a token, `Digest`/`AWS4-…` with their parameters. The scheme is kept, the credentials masked.
 */
const SCHEME_CREDENTIALS = new RegExp(
  String.raw`(?<![A-Za-z])(?:(Bearer|Basic|NTLM)(${SPACE})(?:${AUTH_PARAMS}|${TOKEN68})|(Digest|AWS4-[A-Z0-9-]+)(${SPACE})${AUTH_PARAMS})`,
  'gi',
);

// The `name=` / `name:` / `"name":` part of a pair (also URL-encoded: `name%3D`); the value is read
// after it, so a pair with a harmless name never swallows the next one. A name starts after a quote,
// a character no name holds, or an escape (`%3Dtoken%3D…`): never inside a word, which would make a
// long word cost its length squared.
const NAME_SEPARATOR =
  /(?:(["']|%22|%27)|(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))([A-Za-z][A-Za-z0-9_-]*)\1\s*(?:[:=]|%3[ADad])(?:\s|%20)*/g;
const QUOTED_VALUE = /^(["'])(?:(?!\1)[^\\]|\\.)*\1/;
/** An unquoted value ends at whitespace or a delimiter, URL-encoded ones too (`%20`, `%26`). */
const PLAIN_VALUE = /^(?:(?!%2[06])[^\s&,;])+/;
/** The value of an Authorization-like name: any scheme, then its credentials (`Token x`, `Digest a="b", c=d`). */
const SCHEMED_VALUE = new RegExp(String.raw`^[A-Za-z][A-Za-z0-9._~+-]*(${SPACE})(?:${AUTH_PARAMS}|${TOKEN68}|\[REDACTED\])`);
/** Names whose value is a scheme and credentials, as in an Authorization header. */
const AUTHORIZATION_NAME = /(?:authori[sz]ation|authenticate|auth|credentials?)$/;

/**
 * Free text with credentials masked: after the schemes above, and the whole value of every
 * secret-named pair (`password=…`, `"api_key": "…"`, `Authorization: Token …`), URL-encoded forms
 * included. Over-masking a harmless word is the cheaper mistake.
 */
export function redactText(text: string, denied: ReadonlySet<string>): string {
  if (!mayHoldSecret(text)) return text;
  const masked = text.replace(
    SCHEME_CREDENTIALS,
    (_whole, scheme?: string, space?: string, paramScheme?: string, paramSpace?: string) =>
      `${scheme ?? paramScheme}${space ?? paramSpace}${REDACTED}`,
  );
  let out = '';
  let done = 0;
  for (const match of masked.matchAll(NAME_SEPARATOR)) {
    if (match.index < done || !isSecretName(match[2], denied)) continue;
    const valueStart = match.index + match[0].length;
    const rest = masked.slice(valueStart);
    const quoted = QUOTED_VALUE.exec(rest);
    const schemed = quoted ? null : AUTHORIZATION_NAME.test(normaliseName(match[2])) ? SCHEMED_VALUE.exec(rest) : null;
    const value = quoted ?? schemed ?? PLAIN_VALUE.exec(rest);
    if (!value) continue;
    const quote = quoted?.[1] ?? '';
    out += masked.slice(done, valueStart) + (schemed ? `${REDACTED}${schemed[1]}${REDACTED}` : quote + REDACTED + quote);
    done = valueStart + value[0].length;
  }
  return done === 0 ? masked : out + masked.slice(done);
}

/** MAY_HOLD_SECRET.test, at half the CPU for text without a separator: three indexOf calls, then the scheme words only. */
function mayHoldSecret(text: string): boolean {
  const noSeparator = text.indexOf(':') === -1 && text.indexOf('=') === -1 && text.indexOf('%') === -1;
  return noSeparator ? SCHEME_WORD.test(text) : MAY_HOLD_SECRET.test(text);
}
