// Casts of the calendar types: year, yearmonth, and date, datetime and time in their three kinds of format
// (ISO 8601 by default, `any`, or a strptime pattern).

import { DAY_MS, daysFromCivil, digitsAt } from '../../digits-and-dates.js';
import type { TableField } from '../types.js';
import { type Cast, type FailDefinition, plainCast, type TypeCast } from './cast.js';
import { parseIsoDate, parseIsoDatetime, parseIsoTime } from './iso-8601.js';
import { compileStrptime } from './strptime.js';

// XML Schema gYear and gYearMonth: four or more digits (no leading zero beyond four), an optional leading `-`,
// no `+`, and an optional zone, which does not change the year.
const YEAR = /^(-?(?:[1-9]\d{3,}|0\d{3}))(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?$/;
const YEAR_MONTH = /^(-?(?:[1-9]\d{3,}|0\d{3}))-(0[1-9]|1[0-2])(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?$/;

export const castYear: Cast = (raw) => {
  // The common case, four plain digits, without a regex.
  if (raw.length === 4) {
    const year = digitsAt(raw, 0, 4);
    return year >= 0 ? year : undefined;
  }
  const match = YEAR.exec(raw);
  return match ? Number(match[1]) : undefined;
};

export const castYearMonth: Cast = (raw) => {
  if (raw.length === 7 && raw.charCodeAt(4) === 45) {
    const year = digitsAt(raw, 0, 4);
    const month = digitsAt(raw, 5, 2);
    return year < 0 || month < 1 || month > 12 ? undefined : daysFromCivil(year, month, 1) * DAY_MS;
  }
  const match = YEAR_MONTH.exec(raw);
  return match ? daysFromCivil(Number(match[1]), Number(match[2]), 1) * DAY_MS : undefined;
};

/** The cast of a date, datetime or time field for its format (`format` without a `fmt:` prefix). */
export function temporalCast(
  field: TableField,
  type: 'date' | 'datetime' | 'time',
  format: string | undefined,
  fail: FailDefinition,
): TypeCast {
  const iso = type === 'date' ? parseIsoDate : type === 'datetime' ? parseIsoDatetime : parseIsoTime;
  const isoPhrase = type === 'date' ? 'YYYY-MM-DD' : type === 'datetime' ? 'YYYY-MM-DDThh:mm:ssZ' : 'hh:mm:ss';
  if (format === undefined || format === 'default') return plainCast(iso, `a ${type} (${isoPhrase})`, true);
  if (format === 'any') return plainCast(anyTemporalCast(type, iso), `a ${type}`, true);
  if (format.includes('%')) {
    const parse = compileStrptime(format, type);
    if (typeof parse === 'string') fail('/format', field.format, parse);
    return plainCast(parse as Cast, `a ${type} in the format ${format}`, true);
  }
  return fail('/format', field.format, `default, any or a pattern such as ${type === 'time' ? '%H:%M' : '%Y-%m-%d'}`);
}

const EXPLICIT_ZONE = /(?:[zZ]|[+-]\d\d:?\d\d|\b(?:UTC|GMT)\b.*)$/;
const ANY_TIME_PATTERNS = ['%H:%M', '%I:%M %p', '%I:%M:%S %p', '%I %p'];

/** `format: any`: ISO 8601 first, then whatever Date.parse reads, taking a zone-less time as UTC. */
function anyTemporalCast(type: 'date' | 'datetime' | 'time', iso: (s: string) => number | undefined): Cast {
  if (type === 'time') {
    const parsers = ANY_TIME_PATTERNS.map((p) => compileStrptime(p, 'time') as Cast);
    return (raw) => {
      const value = iso(raw);
      if (value !== undefined) return value;
      for (const parse of parsers) {
        const parsed = parse(raw);
        if (parsed !== undefined) return parsed;
      }
      return undefined;
    };
  }
  return (raw) => {
    const value = iso(raw) ?? (type === 'date' ? parseIsoDatetime(raw) : undefined);
    if (value !== undefined) return type === 'date' ? Math.floor(value / DAY_MS) * DAY_MS : value;
    let ms = Date.parse(raw);
    if (ms !== ms) return undefined;
    if (!EXPLICIT_ZONE.test(raw.trim())) {
      // Date.parse reads a zone-less text as local time; the runner's zone must not change the value.
      const local = new Date(ms);
      ms = Date.UTC(
        local.getFullYear(),
        local.getMonth(),
        local.getDate(),
        local.getHours(),
        local.getMinutes(),
        local.getSeconds(),
        local.getMilliseconds(),
      );
    }
    return type === 'date' ? Math.floor(ms / DAY_MS) * DAY_MS : ms;
  };
}
