/**
 * The instant a timestamp in toISOString()'s form names (`2026-12-01T02:18:32.512Z`, what validation
 * stores and most clients send), read digit by digit: NaN for any other form, and for a canonical
 * string naming no real instant (month 13, Feb 30, hour 24, second 60) or a year before 100 (which
 * Date.UTC would read as 19xx). Callers then take the general path, so the result never differs from
 * Date.parse's; it only skips its cost (with the checks around it, the largest of a record's validation).
 */
export function canonicalTimestampMillis(value: string): number {
  if (value.length !== 24 || value.charCodeAt(23) !== Z) return NaN;
  for (let i = 0; i < 23; i++) {
    const c = value.charCodeAt(i);
    const expected = SEPARATORS[i];
    if (expected === 0 ? c < ZERO || c > NINE : c !== expected) return NaN;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, digits(value, 20, 3));
}

const ZERO = 0x30;
const NINE = 0x39;
const Z = 0x5a;
/** The character each position of `YYYY-MM-DDTHH:MM:SS.mmm` must hold; 0 where a digit goes. */
const SEPARATORS = [0, 0, 0, 0, 0x2d, 0, 0, 0x2d, 0, 0, 0x54, 0, 0, 0x3a, 0, 0, 0x3a, 0, 0, 0x2e, 0, 0, 0];

function digits(value: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + value.charCodeAt(i) - ZERO;
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
