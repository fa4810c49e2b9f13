/**
 * The instant a timestamp in toISOString()'s form names (`2026-12-01T02:18:32.512Z`, what validation
 * stores and most clients send), read digit by digit: NaN for any other form, and for a canonical
 * string naming no real instant (month 13, Feb 30, hour 24, second 60) or a year before 100 (which
 * Date.UTC would read as 19xx). Callers then take the general path, so the result never differs from
 * Date.parse's; it only skips its cost (with the checks around it, the largest of a record's validation).
 */
export function canonicalTimestampMillis(value: string): number {
  if (value.length !== 24 || value.charCodeAt(23) !== Z) return NaN;
  const minuteMillis = value.startsWith(lastMinute) ? lastMinuteMillis : readMinute(value);
  if (Number.isNaN(minuteMillis) || !matchesShape(value, MINUTE_LENGTH, 23)) return NaN;
  const second = digits(value, 17, 2);
  return second > 59 ? NaN : minuteMillis + second * 1000 + digits(value, 20, 3);
}

/** `YYYY-MM-DDTHH:MM`: the part of a timestamp that a batch's records mostly share. */
const MINUTE_LENGTH = 16;
/**
 * The last minute read in full and the instant it starts: its date checks and Date.UTC are skipped for
 * the timestamps that follow in the same minute. It only ever holds a valid minute (at first a NUL, which
 * starts no timestamp of the right shape), so the result is the same as reading every timestamp in full.
 */
let lastMinute = '\u0000';
let lastMinuteMillis = NaN;

const ZERO = 0x30;
const NINE = 0x39;
const Z = 0x5a;
/** The character each position of `YYYY-MM-DDTHH:MM:SS.mmm` must hold; 0 where a digit goes. */
const SEPARATORS = [0, 0, 0, 0, 0x2d, 0, 0, 0x2d, 0, 0, 0x54, 0, 0, 0x3a, 0, 0, 0x3a, 0, 0, 0x2e, 0, 0, 0];

/** The instant `YYYY-MM-DDTHH:MM` starts, remembered as the last minute; NaN when it names no real minute. */
function readMinute(value: string): number {
  if (!matchesShape(value, 0, MINUTE_LENGTH)) return NaN;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) return NaN;
  lastMinute = value.slice(0, MINUTE_LENGTH);
  lastMinuteMillis = Date.UTC(year, month - 1, day, hour, minute);
  return lastMinuteMillis;
}

/** Whether positions `from` to `to` (excluded) hold digits and separators where SEPARATORS says. */
function matchesShape(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    const expected = SEPARATORS[i];
    if (expected === 0 ? c < ZERO || c > NINE : c !== expected) return false;
  }
  return true;
}

function digits(value: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + value.charCodeAt(i) - ZERO;
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
