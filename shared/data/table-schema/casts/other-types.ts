// Casts of the types that are neither numbers nor dates: boolean, string (and its formats), duration,
// object and array (JSON), geopoint, geojson and any. All but boolean keep the cell's text as the value.

import type { TableField } from '../types.js';
import { type Cast, type FailDefinition, plainCast, type TypeCast } from './cast.js';
import { parseNumberText } from './numbers.js';

export const castText: Cast = (raw) => raw;

// ---- booleans ---------------------------------------------------------------------------------------

export const TRUE_VALUES = ['true', 'True', 'TRUE', '1'];
export const FALSE_VALUES = ['false', 'False', 'FALSE', '0'];

const castDefaultBoolean: Cast = (raw) => {
  switch (raw) {
    case 'true':
    case 'True':
    case 'TRUE':
    case '1':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
    case '0':
      return false;
    default:
      return undefined;
  }
};

export function booleanCast(field: TableField): Cast {
  if (field.trueValues === undefined && field.falseValues === undefined) return castDefaultBoolean;
  const values = new Map<string, boolean>();
  for (const text of field.trueValues ?? TRUE_VALUES) values.set(text, true);
  for (const text of field.falseValues ?? FALSE_VALUES) values.set(text, false);
  return (raw) => values.get(raw);
}

// ---- strings and durations --------------------------------------------------------------------------

const DURATION =
  /^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;

const STRING_FORMATS: Record<string, RegExp> = {
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  binary: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};
const STRING_FORMAT_PHRASES: Record<string, string> = {
  email: 'an email address',
  uri: 'a URI',
  uuid: 'a UUID',
  binary: 'base64 data',
};

/** A string field's cast for its format (`format` without a `fmt:` prefix): any text, or an email, URI, UUID or base64. */
export function stringCast(field: TableField, format: string | undefined, fail: FailDefinition): TypeCast {
  if (format === undefined || format === 'default') return plainCast(castText, 'a string');
  const check = STRING_FORMATS[format];
  if (check === undefined) return fail('/format', field.format, `one of default, ${Object.keys(STRING_FORMATS).join(', ')}`);
  return plainCast((raw) => (check.test(raw) ? raw : undefined), STRING_FORMAT_PHRASES[format]!);
}

export const castDuration: Cast = (raw) => (DURATION.test(raw) ? raw : undefined);

// ---- JSON objects and arrays ------------------------------------------------------------------------

/** An object or array field's cast; its length (properties or items) is that of the last cell cast, for minLength and maxLength. */
export function jsonCast(type: 'object' | 'array'): TypeCast {
  let length = 0;
  const wantArray = type === 'array';
  const cast: Cast = (raw) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) !== wantArray) return undefined;
    length = wantArray ? (parsed as unknown[]).length : Object.keys(parsed).length;
    return raw;
  };
  return {
    cast,
    expected: wantArray ? 'a JSON array' : 'a JSON object',
    ordered: false,
    lastLength: () => length,
    lengthUnit: wantArray ? 'items' : 'properties',
  };
}

// ---- geography --------------------------------------------------------------------------------------

function validLonLat(lon: unknown, lat: unknown): boolean {
  return typeof lon === 'number' && typeof lat === 'number' && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

export function geopointCast(format: string): Cast {
  if (format === 'array' || format === 'object') {
    return (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return undefined;
      }
      if (format === 'array') {
        return Array.isArray(parsed) && parsed.length === 2 && validLonLat(parsed[0], parsed[1]) ? raw : undefined;
      }
      const point = parsed as { lon?: unknown; lat?: unknown } | null;
      return typeof point === 'object' && point !== null && validLonLat(point.lon, point.lat) ? raw : undefined;
    };
  }
  return (raw) => {
    const comma = raw.indexOf(',');
    if (comma < 0) return undefined;
    const lon = parseNumberText(raw.slice(0, comma).trim());
    const lat = parseNumberText(raw.slice(comma + 1).trim());
    return validLonLat(lon, lat) ? raw : undefined;
  };
}

export function geojsonCast(topojson: boolean): Cast {
  return (raw) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const type = (parsed as { type?: unknown } | null)?.type;
    if (typeof parsed !== 'object' || parsed === null || typeof type !== 'string') return undefined;
    return topojson === (type === 'Topology') ? raw : undefined;
  };
}
