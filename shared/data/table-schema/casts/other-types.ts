// Casts of the types that are neither numbers nor dates: boolean, string (and its formats), duration,
// object and array (JSON), geopoint, geojson and any. All but boolean keep the cell's text as the value.

import type { TableField } from '../types.js';
import { type Cast, type FailDefinition, plainCast, type TypeCast } from './cast.js';
import { parseNumberText } from './numbers.js';

export const castText: Cast = (raw) => raw;

// ---- booleans ---------------------------------------------------------------------------------------

export const TRUE_VALUES = ['true', 'True', 'TRUE', '1'];
export const FALSE_VALUES = ['false', 'False', 'FALSE', '0'];

export const castDefaultBoolean: Cast = (raw) => {
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

// XML Schema's duration: an optional leading `-`, at least one element, `T` only before a time element, a
// fraction only on the seconds, and no `W` (ISO 8601 weeks are not in XML Schema).
const DURATION = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

const STRING_FORMATS: Record<string, RegExp> = {
  // Dot-separated atoms on both sides: no leading, trailing or consecutive dots (RFC 5322's dot-atom).
  email: /^[^@\s.]+(?:\.[^@\s.]+)*@[^@\s.]+(?:\.[^@\s.]+)+$/,
  // A scheme, then only characters RFC 3986 allows somewhere in a URI (no spaces, <, >, ", {, }, |, \, ^, `).
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/,
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
  let parsed: unknown;
  const wantArray = type === 'array';
  const cast: Cast = (raw) => {
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
    lastParsed: () => parsed,
    lengthUnit: wantArray ? 'items' : 'properties',
  };
}

// ---- geography --------------------------------------------------------------------------------------

function validLonLat(lon: unknown, lat: unknown): boolean {
  return typeof lon === 'number' && typeof lat === 'number' && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

// "lon, lat": two numbers, a comma, and an optional space after it ("note the space is optional after the ,").
const GEOPOINT_TEXT = /^([^,\s]+), ?([^,\s]+)$/;

export function geopointCast(format: string): Cast {
  if (format === 'array') {
    return (raw) => {
      const parsed = parseJson(raw);
      return Array.isArray(parsed) && parsed.length === 2 && validLonLat(parsed[0], parsed[1]) ? raw : undefined;
    };
  }
  if (format === 'object') {
    // "A JSON object with exactly two keys, lat and lon".
    return (raw) => {
      const point = parseJson(raw) as Record<string, unknown> | null | undefined;
      if (typeof point !== 'object' || point === null || Array.isArray(point)) return undefined;
      const keys = Object.keys(point);
      return keys.length === 2 && 'lon' in point && 'lat' in point && validLonLat(point.lon, point.lat) ? raw : undefined;
    };
  }
  return (raw) => {
    const match = GEOPOINT_TEXT.exec(raw);
    if (!match) return undefined;
    return validLonLat(parseNumberText(match[1]!), parseNumberText(match[2]!)) ? raw : undefined;
  };
}

export function geojsonCast(topojson: boolean): Cast {
  return (raw) => {
    const parsed = parseJson(raw);
    return (topojson ? isTopoJson(parsed) : isGeoJson(parsed)) ? raw : undefined;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7946 3.1.1: a position is an array of two or more numbers. */
function isPosition(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function isPositions(value: unknown, min: number): boolean {
  return Array.isArray(value) && value.length >= min && value.every(isPosition);
}

/** RFC 7946 3.1.6: a linear ring has four or more positions, the first and last equal. */
function isLinearRing(value: unknown): boolean {
  if (!isPositions(value, 4)) return false;
  const ring = value as number[][];
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return first.length === last.length && first.every((n, i) => n === last[i]);
}

function isGeometry(value: unknown, depth = 0): boolean {
  if (!isObject(value) || depth > 32) return false;
  const c = value.coordinates;
  switch (value.type) {
    case 'Point':
      return isPosition(c);
    case 'MultiPoint':
      return isPositions(c, 0);
    case 'LineString':
      return isPositions(c, 2);
    case 'MultiLineString':
      return Array.isArray(c) && c.every((line) => isPositions(line, 2));
    case 'Polygon':
      return Array.isArray(c) && c.every(isLinearRing);
    case 'MultiPolygon':
      return Array.isArray(c) && c.every((polygon) => Array.isArray(polygon) && polygon.every(isLinearRing));
    case 'GeometryCollection':
      return Array.isArray(value.geometries) && value.geometries.every((g) => isGeometry(g, depth + 1));
    default:
      return false;
  }
}

function isFeature(value: unknown): boolean {
  if (!isObject(value) || value.type !== 'Feature') return false;
  const { geometry, properties } = value;
  return (
    'geometry' in value &&
    'properties' in value &&
    (geometry === null || isGeometry(geometry)) &&
    (properties === null || isObject(properties))
  );
}

/** A GeoJSON object as RFC 7946 section 3 defines it: a geometry, a Feature or a FeatureCollection. */
function isGeoJson(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (value.type === 'Feature') return isFeature(value);
  if (value.type === 'FeatureCollection') return Array.isArray(value.features) && value.features.every(isFeature);
  return isGeometry(value);
}

/** A TopoJSON topology: "type": "Topology", an "objects" object and an "arcs" array (TopoJSON spec 2.1). */
function isTopoJson(value: unknown): boolean {
  return isObject(value) && value.type === 'Topology' && isObject(value.objects) && Array.isArray(value.arcs);
}
