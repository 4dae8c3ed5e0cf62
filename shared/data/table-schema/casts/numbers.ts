// Casts of integer and number fields (Table Schema: decimalChar, groupChar, bareNumber).

import { POWERS_OF_TEN } from '../../digits-and-dates.js';
import type { TableField } from '../types.js';
import type { Cast } from './cast.js';

/** The integer in `s`, or NaN. Plain digits are accumulated by hand: no regex, no allocation. */
export function parseIntegerText(s: string): number {
  const n = s.length;
  let i = 0;
  let negative = false;
  if (n === 0) return NaN;
  const first = s.charCodeAt(0);
  if (first === 45 /* - */) {
    negative = true;
    i = 1;
  } else if (first === 43 /* + */) {
    i = 1;
  }
  if (i === n) return NaN;
  let value = 0;
  if (n - i <= 15) {
    for (; i < n; i++) {
      const digit = s.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return NaN;
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }
  for (let j = i; j < n; j++) {
    const digit = s.charCodeAt(j) - 48;
    if (digit < 0 || digit > 9) return NaN;
  }
  // Beyond 15 digits the value may not be exact; Number() rounds it correctly.
  value = Number(s.slice(i));
  return negative ? -value : value;
}

/** The number in `s` (decimal, exponent, NaN, INF, -INF), or undefined. */
export function parseNumberText(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let i = 0;
  let negative = false;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    i = 1;
    if (i === n) return undefined;
    c = s.charCodeAt(1);
  }
  // "The following special string values are permitted (case need not be respected): NaN, INF, -INF".
  if ((c | 0x20) === 110 /* n */ || (c | 0x20) === 105 /* i */) return specialNumber(s, i, negative);
  // Two tight loops (whole part, then fraction) rather than one loop testing for the point on every digit.
  let mantissa = 0;
  const wholeStart = i;
  for (; i < n; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
  }
  let digits = i - wholeStart;
  let fractionDigits = 0;
  if (i < n && s.charCodeAt(i) === 46 /* . */) {
    const fractionStart = ++i;
    for (; i < n; i++) {
      const digit = s.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
    }
    fractionDigits = i - fractionStart;
    digits += fractionDigits;
  }
  if (digits === 0) return undefined;
  if (i === n) {
    if (digits <= 15) {
      const value = mantissa / POWERS_OF_TEN[fractionDigits]!;
      return negative ? -value : value;
    }
    return Number(s);
  }
  c = s.charCodeAt(i);
  // Exponent: validate, then let Number() do the correctly rounded conversion.
  if (c !== 101 /* e */ && c !== 69 /* E */) return undefined;
  i++;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  if (i === n) return undefined;
  for (; i < n; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
  }
  return Number(s);
}

/** NaN, INF or -INF in any case from index `i` (after a sign), or undefined. */
function specialNumber(s: string, i: number, negative: boolean): number | undefined {
  if (s.length - i !== 3) return undefined;
  const word = s.slice(i).toLowerCase();
  if (word === 'inf') return negative ? -Infinity : Infinity;
  // NaN has no sign.
  return word === 'nan' && i === 0 ? NaN : undefined;
}

export const castInteger: Cast = (raw) => {
  const value = parseIntegerText(raw);
  return value === value ? value : undefined;
};

/** Text with the group characters removed and the number cut out of its surroundings when not bare. */
function normaliseNumberText(raw: string, field: TableField, decimalChar: string): string | undefined {
  let s = raw;
  if (field.bareNumber === false) {
    let start = 0;
    let end = s.length;
    const isNumberStart = (c: string): boolean => (c >= '0' && c <= '9') || c === '-' || c === '+' || c === '.' || c === decimalChar;
    while (start < end && !isNumberStart(s[start]!)) start++;
    while (end > start && !(s[end - 1]! >= '0' && s[end - 1]! <= '9') && s[end - 1] !== decimalChar && s[end - 1] !== '.') end--;
    s = s.slice(start, end);
  }
  if (field.groupChar !== undefined) {
    // Group characters group the digits of the whole part; one after the decimal character is not a number.
    const point = s.indexOf(decimalChar);
    if (point >= 0 && s.indexOf(field.groupChar, point + decimalChar.length) >= 0) return undefined;
    s = s.split(field.groupChar).join('');
  }
  if (decimalChar !== '.') {
    if (s.includes('.')) return undefined;
    s = s.replace(decimalChar, '.');
  }
  return s;
}

export function integerCast(field: TableField): Cast {
  if (field.groupChar === undefined && field.bareNumber !== false) return castInteger;
  return (raw) => {
    const s = normaliseNumberText(raw, field, '.');
    if (s === undefined) return undefined;
    const value = parseIntegerText(s);
    return value === value ? value : undefined;
  };
}

export function numberCast(field: TableField): Cast {
  const decimalChar = field.decimalChar ?? '.';
  if (field.groupChar === undefined && field.bareNumber !== false && decimalChar === '.') return parseNumberText;
  return (raw) => {
    const special = raw.length <= 4 ? parseNumberText(raw) : undefined;
    if (special !== undefined && special - special !== 0) return special;
    const s = normaliseNumberText(raw, field, decimalChar);
    return s === undefined ? undefined : parseNumberText(s);
  };
}
