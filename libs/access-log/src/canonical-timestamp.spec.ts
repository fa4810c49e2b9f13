import fc from 'fast-check';
import { canonicalTimestampMillis } from './canonical-timestamp.js';

/** The general path's answer: Date.parse, refused where it rolls over (Feb 30, hour 24) or reads a 2-digit year. */
function reference(value: string): number {
  const millis = Date.parse(value);
  return Number.isNaN(millis) || new Date(millis).toISOString() !== value ? NaN : millis;
}

describe('canonicalTimestampMillis', () => {
  it('reads toISOString() forms as Date.parse does', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        (d) => {
          const text = d.toISOString();
          expect(canonicalTimestampMillis(text)).toBe(Date.parse(text));
        },
      ),
    );
  });

  it('never gives an instant the general path would not, for any digits in the canonical shape', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(shaped, (text) => {
        const millis = canonicalTimestampMillis(text);
        if (!Number.isNaN(millis)) expect(millis).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads a timestamp in the same minute as the one before (remembered) as it reads it alone', () => {
    const sameMinute = fc
      .tuple(
        fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:58:59.999Z'), noInvalidDate: true }),
        fc.nat(59_999),
      )
      .map(([d, later]) => [d.toISOString(), new Date(d.getTime() - (d.getTime() % 60_000) + later).toISOString()]);
    fc.assert(
      fc.property(sameMinute, fc.stringMatching(/^\d{2}\.\d{3}Z$/), ([first, second], tail) => {
        expect(canonicalTimestampMillis(first)).toBe(Date.parse(first));
        expect(canonicalTimestampMillis(second)).toBe(Date.parse(second));
        const odd = `${first.slice(0, 17)}${tail}`;
        const millis = canonicalTimestampMillis(odd);
        if (!Number.isNaN(millis)) expect(millis).toBe(reference(odd));
        else expect(reference(odd)).toBeNaN();
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    '2026-02-29T10:00:00.000Z',
    '2026-09-31T10:00:00.000Z',
    '2026-11-24T24:00:00.000Z',
    '2026-11-24T10:60:00.000Z',
    '2026-11-24T10:00:60.000Z',
    '0099-11-24T10:00:00.000Z',
    '2026-11-24T10:00:00.000+00:00',
    '2026-11-24T10:00:00Z',
    '2026-11-24 10:00:00.000Z',
    '2026-11-24T10:00:00.000z',
    '2026-1a-24T10:00:00.000Z',
  ])('leaves %s to the general path', (text) => {
    expect(canonicalTimestampMillis(text)).toBeNaN();
  });

  it('takes Feb 29 of a leap year', () => {
    expect(canonicalTimestampMillis('2028-02-29T00:00:00.000Z')).toBe(Date.parse('2028-02-29T00:00:00.000Z'));
    expect(canonicalTimestampMillis('2000-02-29T00:00:00.000Z')).toBe(Date.parse('2000-02-29T00:00:00.000Z'));
    expect(canonicalTimestampMillis('2100-02-29T00:00:00.000Z')).toBeNaN();
  });
});
