// Parsers that read values straight from bytes, so the common cell never becomes a string.
// Each returns NaN when the text is not in its plain form; the caller then takes the exact,
// slower path through the field's codec, so these only need to be right when they answer.

import { byteDigitsAt, DAY_MS, daysFromCivil, daysInMonth, POWERS_OF_TEN } from './digits-and-dates.js';

/**
 * Stores a cell's value at out[at] and returns true, or returns false when the text is not in the
 * form `kind` reads fast (the caller takes the codec path). Writing into a Float64Array rather than
 * returning keeps the double unboxed: no heap number per cell.
 */
export function readFastValue(kind: number, buf: Uint8Array, start: number, end: number, out: Float64Array, at: number): boolean {
  const value =
    kind === FAST_NUMBER
      ? parsePlainDecimal(buf, start, end, false)
      : kind === FAST_INTEGER
        ? parsePlainDecimal(buf, start, end, true)
        : kind === FAST_DATE
          ? parseIsoDate(buf, start, end)
          : parseIsoDatetime(buf, start, end);
  out[at] = value;
  return value === value;
}

/** The fast forms readFastValue knows. */
export const FAST_INTEGER = 1;
export const FAST_NUMBER = 2;
export const FAST_DATE = 3;
export const FAST_DATETIME = 4;

/**
 * A plain decimal (`-12`, `3.25`, `+0.5`) of at most 15 significant digits: the mantissa is then an
 * exact integer and one division by an exact power of ten rounds correctly (Clinger's fast path).
 * With `integerOnly`, text with a decimal point is refused.
 */
export function parsePlainDecimal(buf: Uint8Array, start: number, end: number, integerOnly: boolean): number {
  let i = start;
  let negative = false;
  if (i < end) {
    const c = buf[i];
    if (c === 0x2d || c === 0x2b) {
      negative = c === 0x2d;
      i++;
    }
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let d: number;
  while (i < end && (d = buf[i]! - 0x30) >= 0 && d <= 9) {
    mantissa = mantissa * 10 + d;
    digits++;
    i++;
  }
  if (i < end && buf[i] === 0x2e) {
    if (integerOnly) return NaN;
    i++;
    while (i < end && (d = buf[i]! - 0x30) >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      scale++;
      i++;
    }
  }
  if (digits === 0 || digits > 15 || i !== end) return NaN;
  const value = scale === 0 ? mantissa : mantissa / POWERS_OF_TEN[scale]!;
  return negative ? -value : value;
}

function dateAt(buf: Uint8Array, i: number): number {
  if (buf[i + 4] !== 0x2d || buf[i + 7] !== 0x2d) return NaN;
  const year = byteDigitsAt(buf, i, 4);
  const month = byteDigitsAt(buf, i + 5, 2);
  const day = byteDigitsAt(buf, i + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day) * DAY_MS;
}

/** `YYYY-MM-DD` as epoch milliseconds UTC. */
export function parseIsoDate(buf: Uint8Array, start: number, end: number): number {
  return end - start === 10 ? dateAt(buf, start) : NaN;
}

/** `YYYY-MM-DDTHH:MM:SS` with an optional `Z`, as epoch milliseconds UTC (other forms take the slow path). */
export function parseIsoDatetime(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length !== 19 && !(length === 20 && buf[end - 1] === 0x5a)) return NaN;
  if (buf[start + 10] !== 0x54 || buf[start + 13] !== 0x3a || buf[start + 16] !== 0x3a) return NaN;
  const hours = byteDigitsAt(buf, start + 11, 2);
  const minutes = byteDigitsAt(buf, start + 14, 2);
  const seconds = byteDigitsAt(buf, start + 17, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return NaN;
  return dateAt(buf, start) + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}
