import type { FieldType, TableField } from '../types.js';
import { type FailDefinition, plainCast, type TypeCast } from './cast.js';
import { castYear, castYearMonth, temporalCast } from './dates-and-times.js';
import { listCast } from './list.js';
import { integerCast, numberCast } from './numbers.js';
import {
  booleanCast,
  castDuration,
  castText,
  FALSE_VALUES,
  geojsonCast,
  geopointCast,
  jsonCast,
  stringCast,
  TRUE_VALUES,
} from './other-types.js';

/** The cast a field's type and format select. Calls `fail` when the format is not one the type has. */
export function typeCastFor(field: TableField, type: FieldType, fail: FailDefinition): TypeCast {
  const format = field.format?.startsWith('fmt:') ? field.format.slice(4) : field.format;
  switch (type) {
    case 'integer':
      return plainCast(integerCast(field), 'an integer', true);
    case 'number':
      return plainCast(numberCast(field), 'a number', true);
    case 'year':
      return plainCast(castYear, 'a year (YYYY, XML Schema gYear)', true);
    case 'yearmonth':
      return plainCast(castYearMonth, 'a year and month (YYYY-MM, XML Schema gYearMonth)', true);
    case 'boolean':
      return plainCast(
        booleanCast(field),
        `a boolean (${[...(field.trueValues ?? TRUE_VALUES), ...(field.falseValues ?? FALSE_VALUES)].join(', ')})`,
      );
    case 'date':
    case 'datetime':
    case 'time':
      return temporalCast(field, type, format, fail);
    case 'string':
      return stringCast(field, format, fail);
    case 'duration':
      return plainCast(castDuration, 'an XML Schema duration (e.g. P1DT2H30M)');
    case 'object':
    case 'array':
      return jsonCast(type);
    case 'geopoint':
      return plainCast(
        geopointCast(format ?? 'default'),
        `a geopoint (${format === 'array' ? '[lon, lat]' : format === 'object' ? '{"lon": …, "lat": …}' : 'lon, lat'})`,
      );
    case 'geojson':
      return plainCast(geojsonCast(format === 'topojson'), format === 'topojson' ? 'a TopoJSON object' : 'a GeoJSON object');
    case 'list':
      if (format !== undefined && format !== 'default') return fail('/format', field.format, 'default (a list has no other format)');
      return listCast(field);
    case 'any':
      return plainCast(castText, 'any value');
  }
}
