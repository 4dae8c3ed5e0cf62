// Date, datetime and time fields whose format is a strptime pattern (`%d/%m/%Y %H:%M`), read as Python reads them.

import { DAY_MS, daysFromCivil, daysInMonth } from '../../digits-and-dates.js';
import type { Cast } from './cast.js';
import { isoOffset } from './iso-8601.js';

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

type Directive = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'f' | 'j' | 'p' | 'z' | 'b' | 'B' | 'a' | 'A';
type Token = { literal: string } | { directive: Directive };

/** Digits, maximum value of the numeric directives (as Python's strptime reads them). */
const NUMERIC: Partial<Record<Directive, [number, number]>> = {
  Y: [4, 9999],
  y: [2, 99],
  m: [2, 12],
  d: [2, 31],
  H: [2, 23],
  I: [2, 12],
  M: [2, 59],
  S: [2, 61],
  f: [6, 999999],
  j: [3, 366],
};

/** Case-insensitive match at `start` of the longest name (full or first three letters); returns [index, length]. */
function nameAt(s: string, start: number, names: readonly string[], full: boolean): [number, number] {
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    const length = full ? name.length : 3;
    if (start + length > s.length) continue;
    let match = true;
    for (let k = 0; k < length; k++) {
      if ((s.charCodeAt(start + k) | 0x20) !== name.charCodeAt(k)) {
        match = false;
        break;
      }
    }
    if (match) return [index, length];
  }
  return [-1, 0];
}

/**
 * Compiles a strptime-style pattern (`%d/%m/%Y %H:%M`) into a parser returning epoch milliseconds UTC
 * (a time: milliseconds since midnight; a date: its day). Returns a phrase for the error when a
 * directive is not supported.
 */
export function compileStrptime(pattern: string, type: 'date' | 'datetime' | 'time'): Cast | string {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '%') {
      tokens.push({ literal: c });
      continue;
    }
    const directive = pattern[++i];
    if (directive === '%') tokens.push({ literal: '%' });
    else if (directive !== undefined && 'YymdHIMSfjpzbBaA'.includes(directive)) tokens.push({ directive: directive as Directive });
    else if (directive === 'T') tokens.push({ directive: 'H' }, { literal: ':' }, { directive: 'M' }, { literal: ':' }, { directive: 'S' });
    else return `a pattern using only %Y %y %m %d %H %I %p %M %S %f %z %j %b %B %a %A %T %% (not %${directive ?? ''})`;
  }
  return (raw) => {
    let year = 1900;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let micro = 0;
    let dayOfYear = 0;
    let pm = -1;
    let twelveHour = false;
    let offset = 0;
    let pos = 0;
    const n = raw.length;
    for (const token of tokens) {
      if ('literal' in token) {
        const c = token.literal;
        if (c === ' ') {
          // As in Python, a space in the pattern matches any run of whitespace.
          const start = pos;
          while (pos < n && (raw[pos] === ' ' || raw[pos] === '\t')) pos++;
          if (pos === start) return undefined;
        } else {
          if (raw[pos] !== c) return undefined;
          pos++;
        }
        continue;
      }
      const directive = token.directive;
      const numeric = NUMERIC[directive];
      if (numeric !== undefined) {
        const [maxDigits, maxValue] = numeric;
        let value = 0;
        let read = 0;
        while (read < maxDigits && pos < n) {
          const digit = raw.charCodeAt(pos) - 48;
          if (digit < 0 || digit > 9 || value * 10 + digit > maxValue) break;
          value = value * 10 + digit;
          read++;
          pos++;
        }
        if (read === 0 || (directive === 'Y' && read !== 4) || (directive === 'y' && read !== 2)) return undefined;
        switch (directive) {
          case 'Y':
            year = value;
            break;
          case 'y':
            year = value < 69 ? 2000 + value : 1900 + value;
            break;
          case 'm':
            month = value;
            break;
          case 'd':
            day = value;
            break;
          case 'H':
            hour = value;
            break;
          case 'I':
            hour = value;
            twelveHour = true;
            break;
          case 'M':
            minute = value;
            break;
          case 'S':
            second = value;
            break;
          case 'f':
            micro = value * 10 ** (6 - read);
            break;
          case 'j':
            dayOfYear = value;
            break;
        }
        continue;
      }
      if (directive === 'p') {
        const [index, length] = nameAt(raw, pos, ['am', 'pm'], true);
        if (index < 0) return undefined;
        pm = index;
        pos += length;
      } else if (directive === 'z') {
        let end = pos + 1;
        while (end < n && ((raw.charCodeAt(end) >= 48 && raw.charCodeAt(end) <= 57) || raw[end] === ':')) end++;
        offset = isoOffset(raw, pos, end);
        if (offset !== offset) return undefined;
        pos = end;
      } else {
        const full = directive === 'B' || directive === 'A';
        const names = directive === 'b' || directive === 'B' ? MONTH_NAMES : DAY_NAMES;
        const [index, length] = nameAt(raw, pos, names, full);
        if (index < 0) return undefined;
        if (names === MONTH_NAMES) month = index + 1;
        pos += length;
      }
    }
    if (pos !== n) return undefined;
    if (twelveHour) {
      if (hour < 1 || hour > 12) return undefined;
      if (pm === 1 && hour !== 12) hour += 12;
      else if (pm === 0 && hour === 12) hour = 0;
    }
    if (second > 59) second = 59;
    const clock = hour * 3_600_000 + minute * 60_000 + second * 1000 + Math.floor(micro / 1000);
    if (type === 'time') return clock;
    let days: number;
    if (dayOfYear > 0) {
      days = daysFromCivil(year, 1, 1) + dayOfYear - 1;
    } else {
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
      days = daysFromCivil(year, month, day);
    }
    if (type === 'date') return days * DAY_MS;
    return days * DAY_MS + clock - offset * 60_000;
  };
}
