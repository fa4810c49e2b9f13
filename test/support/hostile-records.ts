import fc from 'fast-check';
import {
  MAX_API_KEY_ID_LENGTH,
  MAX_DETAILS_BYTES,
  MAX_DETAILS_DEPTH,
  MAX_DURATION_MS,
  MAX_ERROR_CODE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PATH_LENGTH,
  MAX_ROUTE_LENGTH,
  MAX_USER_AGENT_LENGTH,
} from '#libs/access-log';

/**
 * Records as a careless or hostile client sends them: mostly valid, often AT the limits validation
 * sets (the longest text in the widest UTF-8, the deepest and largest details, the extreme numbers),
 * sometimes just past them. Text mixes random 3-byte BMP characters (incompressible, the worst case
 * for a btree index entry), emoji, COPY's special characters and text that redaction lengthens.
 */
const wideChar = fc
  .integer({ min: 0x800, max: 0xfffd })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCharCode(c));
const unit = fc.oneof(
  { weight: 4, arbitrary: wideChar },
  { weight: 1, arbitrary: fc.constantFrom('😀', '\t', '\n', '\r', '\\', '\\N', '\\.', '"', "'", 'é', ' ', '/', '%3D') },
  { weight: 1, arbitrary: fc.constantFrom('jwt=x,', 'Bearer y ', 'Authorization: Token z ', 'password%3Dp&') },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 4 }) },
);

/**
 * Text of at most `max` UTF-16 units, often exactly `max` (now and then one past): a few hostile
 * pieces, then pseudo-random characters up to the length, all 3-byte ones or printable ASCII.
 * (fast-check's arrays stay short, and padding with one character would compress in an index.)
 */
function text(max: number): fc.Arbitrary<string> {
  const length = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: Math.min(max, 24) }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max }) },
    { weight: 4, arbitrary: fc.constant(max) },
    { weight: 1, arbitrary: fc.constant(max + 1) },
  );
  return fc
    .tuple(length, fc.array(unit, { maxLength: 8 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.boolean())
    .map(([n, parts, seed, wide]) => {
      let value = parts.join('');
      for (let x = seed; value.length < n;) {
        x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
        value += String.fromCharCode(wide ? 0x800 + (x % (0xd800 - 0x800)) : 0x20 + (x % 95));
      }
      return fit(value, n);
    });
}

/** Cut to `length` units without leaving half a surrogate pair (which validation would refuse for another reason). */
function fit(value: string, length: number): string {
  const cut = value.slice(0, length);
  return /[\ud800-\udbff]$/.test(cut) ? `${cut.slice(0, -1)}x` : cut;
}

const extremeNumber = fc.constantFrom(0, -0, 5e-324, 1e-7, 0.1, 1e308, -1e308, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, -1);

/** JSON nested exactly `depth` levels, alternating objects and arrays, with a hostile leaf. */
const nested = fc
  .tuple(fc.integer({ min: MAX_DETAILS_DEPTH - 3, max: MAX_DETAILS_DEPTH + 1 }), text(40), extremeNumber)
  .map(([depth, leaf, n]) => {
    let value: unknown = { leaf, n, ['__proto__']: { password: leaf } };
    for (let level = 2; level <= depth; level++) value = level % 2 ? { [`k${level}`]: value } : [value, n];
    return value;
  });

/** Close to MAX_DETAILS_BYTES of UTF-8, one side or the other of it. */
const large = fc.tuple(fc.integer({ min: -64, max: 16 }), fc.boolean()).map(([slack, wide]) => {
  const frame = JSON.stringify({ blob: '' }).length;
  const budget = MAX_DETAILS_BYTES - frame + slack;
  return { blob: wide ? '中'.repeat(Math.floor(budget / 3)) : 'a'.repeat(budget) };
});

const details = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 6 }).filter((v) => v !== null && typeof v === 'object') },
  { weight: 2, arbitrary: nested },
  { weight: 2, arbitrary: large },
  { weight: 2, arbitrary: fc.dictionary(text(20), fc.oneof(text(200), extremeNumber, fc.array(text(30), { maxLength: 5 }))) },
  {
    weight: 1,
    arbitrary: fc.constant({
      headers: [{ name: 'Authorization', value: 'Digest username="u", response="r"' }, ['x-api-key', 'k']],
      note: 'retry with Bearer abc',
    }),
  },
);

const DAY = 86_400_000;

/** A record with a fresh request id (`prefix` + serial); `apiKeyId` always starts with `keyPrefix`, so a test finds its rows. */
export function hostileRecord(prefix: string, keyPrefix: string): fc.Arbitrary<Record<string, unknown>> {
  let serial = 0;
  return fc.record(
    {
      requestId: fc.constant(null).map(() => `${prefix}_${serial++}`),
      // Inside the 90-day window, its edges included (new partitions each day it touches).
      timestamp: fc.integer({ min: -89 * DAY, max: DAY - 60_000 }).map((offset) => new Date(Date.now() + offset).toISOString()),
      method: fc.constantFrom('GET', 'post', 'PURGE', 'PROPFIND'),
      path: fc.oneof(
        text(MAX_PATH_LENGTH - 1).map((s) => `/${s}`),
        // ids become ":id": a short path, a long template
        fc.integer({ min: 100, max: Math.floor((MAX_ROUTE_LENGTH - 3) / 4) + 1 }).map((n) => `/v1${'/1'.repeat(n)}?token=q`),
      ),
      route: fc.option(
        text(MAX_ROUTE_LENGTH - 1).map((s) => `/${s}`),
        { nil: undefined, freq: 1 },
      ),
      status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(100, 599, 600, 32768)),
      durationMs: fc.oneof(
        fc.double({ min: 0, max: MAX_DURATION_MS, noNaN: true }),
        fc.constantFrom(0, -0, 5e-324, MAX_DURATION_MS),
        extremeNumber,
      ),
      error: fc.option(text(MAX_ERROR_CODE_LENGTH), { nil: undefined }),
      message: fc.option(text(MAX_MESSAGE_LENGTH), { nil: undefined }),
      details: fc.option(details, { nil: undefined }),
      retryAfter: fc.option(fc.constantFrom(0, 1, 86_400, 86_401, 2 ** 31), { nil: undefined }),
      apiKeyId: text(MAX_API_KEY_ID_LENGTH - keyPrefix.length).map((s) => keyPrefix + s),
      clientIp: fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: undefined }),
      userAgent: fc.option(text(MAX_USER_AGENT_LENGTH), { nil: undefined }),
    },
    { requiredKeys: ['requestId', 'timestamp', 'method', 'path', 'status', 'durationMs', 'apiKeyId'] },
  );
}
