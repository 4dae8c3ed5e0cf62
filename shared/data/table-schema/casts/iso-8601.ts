// ISO 8601 dates, datetimes and times: the default format of date, datetime and time fields.
// Hand-written scanners, since these are the cells validate-data meets most after numbers.

import { DAY_MS, daysFromCivil, daysInMonth, digitsAt } from '../../digits-and-dates.js';

/** Epoch days * DAY_MS of `YYYY-MM-DD` at `start`, or undefined. */
function isoDateAt(s: string, start: number): number | undefined {
  if (s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45) return undefined;
  const year = digitsAt(s, start, 4);
  const month = digitsAt(s, start + 5, 2);
  const day = digitsAt(s, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day) * DAY_MS;
}

export function parseIsoDate(s: string): number | undefined {
  return s.length === 10 ? isoDateAt(s, 0) : undefined;
}

/** Milliseconds of `hh:mm:ss[.fff…]` at `start` up to `end` (exclusive), or -1. */
function isoClock(s: string, start: number, end: number): number {
  if (end - start < 8 || s.charCodeAt(start + 2) !== 58 || s.charCodeAt(start + 5) !== 58) return -1;
  const hour = digitsAt(s, start, 2);
  const minute = digitsAt(s, start + 3, 2);
  const second = digitsAt(s, start + 6, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return -1;
  let ms = hour * 3_600_000 + minute * 60_000 + second * 1000;
  let i = start + 8;
  if (i === end) return ms;
  if (s.charCodeAt(i) !== 46 || i + 1 === end) return -1;
  let scale = 100;
  for (i++; i < end; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    ms += digit * scale;
    scale /= 10;
  }
  return Math.floor(ms);
}

/** Minutes east of UTC of XML Schema's zone, `Z` or `±hh:mm` (at most 14:00), filling s[start..end); NaN otherwise. */
function xmlSchemaOffset(s: string, start: number, end: number): number {
  if (end - start === 1) return s.charCodeAt(start) === 90 ? 0 : NaN;
  if (end - start !== 6 || s.charCodeAt(start + 3) !== 58) return NaN;
  const offset = isoOffset(s, start, end);
  return Math.abs(offset) <= 14 * 60 ? offset : NaN;
}

/** Minutes east of UTC of `Z`, `±hh`, `±hhmm` or `±hh:mm` filling s[start..end), or NaN. */
export function isoOffset(s: string, start: number, end: number): number {
  const c = s.charCodeAt(start);
  if (c === 90 || c === 122) return end - start === 1 ? 0 : NaN;
  if (c !== 43 && c !== 45) return NaN;
  const length = end - start;
  const hours = digitsAt(s, start + 1, 2);
  let minutes = 0;
  if (length === 6 && s.charCodeAt(start + 3) === 58) minutes = digitsAt(s, start + 4, 2);
  else if (length === 5) minutes = digitsAt(s, start + 3, 2);
  else if (length !== 3) return NaN;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
  const offset = hours * 60 + minutes;
  return c === 45 ? -offset : offset;
}

/** Index of the zone designator after a clock starting at `start`, or `s.length` if none. */
function zoneStart(s: string, start: number): number {
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122 || c === 43 || c === 45) return i;
  }
  return s.length;
}

/**
 * XML Schema dateTime, the default datetime format: `YYYY-MM-DDThh:mm:ss`, an optional fraction of a
 * second, and an optional zone (`Z` or `±hh:mm`). A zone-less value is read as UTC.
 */
export function parseIsoDatetime(s: string): number | undefined {
  if (s.length < 19 || s.charCodeAt(10) !== 84 /* T */) return undefined;
  const date = isoDateAt(s, 0);
  if (date === undefined) return undefined;
  const zone = zoneStart(s, 11);
  const clock = isoClock(s, 11, zone);
  if (clock < 0) return undefined;
  if (zone === s.length) return date + clock;
  const offset = xmlSchemaOffset(s, zone, s.length);
  return offset === offset ? date + clock - offset * 60_000 : undefined;
}

/** XML Schema time, the default time format: `hh:mm:ss`, an optional fraction and an optional zone. */
export function parseIsoTime(s: string): number | undefined {
  const zone = zoneStart(s, 0);
  const clock = isoClock(s, 0, zone);
  if (clock < 0) return undefined;
  if (zone === s.length) return clock;
  const offset = xmlSchemaOffset(s, zone, s.length);
  return offset === offset ? (((clock - offset * 60_000) % DAY_MS) + DAY_MS) % DAY_MS : undefined;
}
