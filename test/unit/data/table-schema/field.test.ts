import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import {
  compileField,
  compileTableSchema,
  FieldDefinitionError,
  isViolation,
  jsonValueText,
  loadTableSchema,
  type CellResult,
  type TableField,
} from '../../../../shared/data/table-schema/index.js';

const vegaData = new URL('../../../../node_modules/vega-datasets/data/', import.meta.url);
const penguinsPath = new URL('penguins.json', vegaData).pathname;
const seattlePath = new URL('seattle-weather.csv', vegaData).pathname;
const schemaPath = new URL('../../../fixtures/table-schema/penguins.schema.yaml', import.meta.url).pathname;

const utc = (text: string): number => Date.parse(text);

/** castAndCheck of `raw` for a field built from `field`, with the default missing values. */
function cell(field: Omit<TableField, 'name'>, raw: string): CellResult {
  return compileField({ name: 'x', ...field }).castAndCheck(raw);
}

function rule(result: CellResult): string | undefined {
  return isViolation(result) ? result.rule : undefined;
}

describe('compileField: types', () => {
  it('casts integers, rejecting decimals, blanks inside and non-digits', () => {
    expect(cell({ type: 'integer' }, '3750')).toBe(3750);
    expect(cell({ type: 'integer' }, '-42')).toBe(-42);
    expect(cell({ type: 'integer' }, '+7')).toBe(7);
    expect(cell({ type: 'integer' }, '12345678901234567')).toBe(Number('12345678901234567'));
    for (const raw of ['39.1', '1e3', ' 1', '1 ', '-', 'abc', '0x10']) {
      expect(cell({ type: 'integer' }, raw)).toEqual({ rule: 'type', expected: 'an integer' });
    }
  });

  it('casts numbers exactly as Number() does, with NaN, INF and -INF', () => {
    for (const raw of ['39.1', '-0.5', '.5', '5.', '1e-7', '2.5E+10', '0.1', '123456789012.345', '0.30000000000000004', '+3.25']) {
      expect(cell({ type: 'number' }, raw)).toBe(Number(raw));
    }
    expect(cell({ type: 'number' }, 'NaN')).toBeNaN();
    expect(cell({ type: 'number' }, 'INF')).toBe(Infinity);
    expect(cell({ type: 'number' }, '-INF')).toBe(-Infinity);
    for (const raw of ['1.2.3', '1e', 'e5', '.', 'Infinity', '0x1F', ' 1.5', '1,5']) {
      expect(rule(cell({ type: 'number' }, raw))).toBe('type');
    }
  });

  it('reads group and decimal characters and non-bare numbers', () => {
    expect(cell({ type: 'number', groupChar: '.', decimalChar: ',' }, '1.234.567,89')).toBe(1234567.89);
    expect(rule(cell({ type: 'number', decimalChar: ',' }, '1.5'))).toBe('type');
    expect(cell({ type: 'number', bareNumber: false }, '€95.5')).toBe(95.5);
    expect(cell({ type: 'number', bareNumber: false }, '12.5%')).toBe(12.5);
    expect(cell({ type: 'integer', groupChar: ',' }, '1,000,000')).toBe(1000000);
    expect(cell({ type: 'integer', bareNumber: false }, '$300 USD')).toBe(300);
  });

  it('casts booleans with the default and custom true/false values', () => {
    expect(cell({ type: 'boolean' }, 'True')).toBe(true);
    expect(cell({ type: 'boolean' }, '0')).toBe(false);
    expect(rule(cell({ type: 'boolean' }, 'yes'))).toBe('type');
    const custom = { type: 'boolean' as const, trueValues: ['yes', 'Y'], falseValues: ['no', 'N'] };
    expect(cell(custom, 'Y')).toBe(true);
    expect(cell(custom, 'no')).toBe(false);
    expect(rule(cell(custom, 'true'))).toBe('type');
  });

  it('casts ISO dates, datetimes and times to epoch milliseconds UTC', () => {
    expect(cell({ type: 'date' }, '2012-01-01')).toBe(utc('2012-01-01T00:00:00Z'));
    expect(cell({ type: 'date' }, '2000-02-29')).toBe(utc('2000-02-29T00:00:00Z'));
    expect(cell({ type: 'date' }, '0050-06-15')).toBe(utc('0050-06-15T00:00:00Z'));
    for (const raw of ['2012-13-01', '2013-02-29', '1900-02-29', '2012-1-01', '2012/01/01', '20120101']) {
      expect(cell({ type: 'date' }, raw)).toEqual({ rule: 'type', expected: 'a date (YYYY-MM-DD)' });
    }
    expect(cell({ type: 'datetime' }, '2012-01-01T10:20:30Z')).toBe(utc('2012-01-01T10:20:30Z'));
    expect(cell({ type: 'datetime' }, '2012-01-01T10:20:30.125+02:00')).toBe(utc('2012-01-01T08:20:30.125Z'));
    // table-schema.mdx, datetime: the default form is XML Schema dateTime, "containing required date and time
    // parts, followed by optional milliseconds and timezone parts": a T, seconds, and Z or ±hh:mm.
    expect(cell({ type: 'datetime' }, '2012-01-01T10:20:30-05:30')).toBe(utc('2012-01-01T15:50:30Z'));
    for (const raw of [
      '2012-01-01 10:20:30',
      '2012-01-01t10:20:30',
      '2012-01-01T10:20',
      '2012-01-01T10:20:30-0530',
      '2012-01-01T10:20:30z',
    ]) {
      expect(rule(cell({ type: 'datetime' }, raw))).toBe('type');
    }
    expect(rule(cell({ type: 'datetime' }, '2012-01-01T25:00:00Z'))).toBe('type');
    expect(rule(cell({ type: 'datetime' }, '2012-01-01'))).toBe('type');
    expect(cell({ type: 'time' }, '10:20:30')).toBe(37_230_000);
    expect(rule(cell({ type: 'time' }, '10:61:00'))).toBe('type');
  });

  it('reads strptime-style formats', () => {
    expect(cell({ type: 'date', format: '%d/%m/%Y' }, '31/12/2012')).toBe(utc('2012-12-31T00:00:00Z'));
    expect(cell({ type: 'date', format: '%d/%m/%Y' }, '1/2/2012')).toBe(utc('2012-02-01T00:00:00Z'));
    expect(rule(cell({ type: 'date', format: '%d/%m/%Y' }, '31/02/2012'))).toBe('type');
    expect(rule(cell({ type: 'date', format: '%d/%m/%Y' }, '2012-12-31'))).toBe('type');
    expect(cell({ type: 'date', format: '%Y%m%d' }, '20120315')).toBe(utc('2012-03-15T00:00:00Z'));
    expect(cell({ type: 'date', format: '%d %b %y' }, '05 Mar 99')).toBe(utc('1999-03-05T00:00:00Z'));
    expect(cell({ type: 'datetime', format: '%d/%m/%Y %H:%M' }, '31/12/2012 23:59')).toBe(utc('2012-12-31T23:59:00Z'));
    expect(cell({ type: 'datetime', format: '%B %d, %Y %I:%M %p' }, 'January 05, 2020 12:30 AM')).toBe(utc('2020-01-05T00:30:00Z'));
    expect(cell({ type: 'datetime', format: '%Y-%m-%dT%H:%M:%S.%f%z' }, '2020-01-05T10:00:00.5+0100')).toBe(
      utc('2020-01-05T09:00:00.500Z'),
    );
    expect(cell({ type: 'time', format: '%H:%M' }, '07:05')).toBe(25_500_000);
    expect(cell({ type: 'date', format: 'fmt:%Y.%m.%d' }, '2012.01.02')).toBe(utc('2012-01-02T00:00:00Z'));
    expect(compileField({ name: 'd', type: 'date', format: '%d/%m/%Y' }).castAndCheck('x')).toEqual({
      rule: 'type',
      expected: 'a date in the format %d/%m/%Y',
    });
  });

  it('reads any date format, taking zone-less text as UTC', () => {
    expect(cell({ type: 'date', format: 'any' }, '2012-01-02')).toBe(utc('2012-01-02T00:00:00Z'));
    expect(cell({ type: 'date', format: 'any' }, 'Jan 2, 2012')).toBe(utc('2012-01-02T00:00:00Z'));
    expect(cell({ type: 'datetime', format: 'any' }, 'Mon, 02 Jan 2012 10:00:00 GMT')).toBe(utc('2012-01-02T10:00:00Z'));
    expect(cell({ type: 'datetime', format: 'any' }, 'January 2, 2012 10:00')).toBe(utc('2012-01-02T10:00:00Z'));
    expect(cell({ type: 'time', format: 'any' }, '3:15 PM')).toBe(15 * 3_600_000 + 15 * 60_000);
    expect(rule(cell({ type: 'date', format: 'any' }, 'not a date'))).toBe('type');
  });

  it('checks the other types', () => {
    expect(cell({ type: 'year' }, '2012')).toBe(2012);
    expect(cell({ type: 'yearmonth' }, '2012-03')).toBe(utc('2012-03-01T00:00:00Z'));
    expect(rule(cell({ type: 'yearmonth' }, '2012-13'))).toBe('type');
    expect(cell({ type: 'duration' }, 'P1DT2H30M')).toBe('P1DT2H30M');
    expect(rule(cell({ type: 'duration' }, 'P'))).toBe('type');
    expect(cell({ type: 'object' }, '{"a":1}')).toBe('{"a":1}');
    expect(rule(cell({ type: 'object' }, '[1]'))).toBe('type');
    expect(cell({ type: 'array' }, '[1,2]')).toBe('[1,2]');
    expect(cell({ type: 'geopoint' }, '-122.3, 47.6')).toBe('-122.3, 47.6');
    expect(rule(cell({ type: 'geopoint' }, '47.6, -222.3'))).toBe('type');
    expect(cell({ type: 'geopoint', format: 'array' }, '[10, 20]')).toBe('[10, 20]');
    expect(rule(cell({ type: 'geojson' }, '{"coordinates": []}'))).toBe('type');
    expect(cell({ type: 'string', format: 'email' }, 'a@b.org')).toBe('a@b.org');
    expect(rule(cell({ type: 'string', format: 'uuid' }, 'not-a-uuid'))).toBe('type');
    expect(cell({}, 'anything')).toBe('anything');
    // v2: "If type is not provided a consumer MUST utilize the any type".
    expect(compileField({ name: 'x' }).type).toBe('any');
  });
});

describe('compileField: missing values and constraints', () => {
  it('maps missing values to null, or to a required violation', () => {
    expect(cell({ type: 'integer' }, '')).toBeNull();
    expect(cell({ type: 'integer', constraints: { required: true } }, '')).toEqual({ rule: 'required', expected: 'a value' });
    const codec = compileField({ name: 'n', type: 'number' }, ['', 'NA', '-']);
    expect(codec.castAndCheck('NA')).toBeNull();
    expect(codec.castAndCheck('-')).toBeNull();
    expect(codec.castAndCheck('1.5')).toBe(1.5);
    // With no missing values declared, an empty cell is just text that is not a number.
    expect(rule(compileField({ name: 'n', type: 'number' }, []).castAndCheck(''))).toBe('type');
  });

  it('checks minimum, maximum, lengths, pattern and enum with readable expectations', () => {
    const bounded = compileField({ name: 'n', type: 'integer', constraints: { minimum: 0, maximum: 10 } });
    expect(bounded.castAndCheck('0')).toBe(0);
    expect(bounded.castAndCheck('-1')).toEqual({ rule: 'minimum', expected: '>= 0' });
    expect(bounded.castAndCheck('11')).toEqual({ rule: 'maximum', expected: '<= 10' });
    const code = compileField({ name: 'c', constraints: { pattern: '[A-Z]+', minLength: 2, maxLength: 4 } });
    expect(code.castAndCheck('ABC')).toBe('ABC');
    // Patterns match the whole value, as in XML Schema.
    expect(code.castAndCheck('ABc')).toEqual({ rule: 'pattern', expected: 'to match [A-Z]+' });
    expect(code.castAndCheck('A')).toEqual({ rule: 'minLength', expected: 'at least 2 characters' });
    expect(code.castAndCheck('ABCDE')).toEqual({ rule: 'maxLength', expected: 'at most 4 characters' });
    const species = compileField({ name: 's', constraints: { enum: ['Adelie', 'Chinstrap', 'Gentoo'] } });
    expect(species.castAndCheck('Gentoo')).toBe('Gentoo');
    expect(species.castAndCheck('gentoo')).toEqual({ rule: 'enum', expected: 'one of Adelie, Chinstrap, Gentoo' });
    expect(species.castAndCheck('')).toBeNull();
    const requiredSpecies = compileField({ name: 's', constraints: { required: true, enum: ['Adelie'] } });
    expect(rule(requiredSpecies.castAndCheck(''))).toBe('required');
    const bothMissing = compileField({ name: 'n', type: 'integer', constraints: { maximum: 5 } }, ['', 'NA']);
    expect(bothMissing.castAndCheck('NA')).toBeNull();
    expect(rule(bothMissing.castAndCheck('6'))).toBe('maximum');
    const numericEnum = compileField({ name: 'n', type: 'number', constraints: { enum: ['1.5', 2] } });
    expect(numericEnum.castAndCheck('2.0')).toBe(2);
    expect(rule(numericEnum.castAndCheck('3'))).toBe('enum');
    const dated = compileField({ name: 'd', type: 'date', format: '%d/%m/%Y', constraints: { minimum: '2012-01-01' } });
    expect(dated.castAndCheck('31/12/2011')).toEqual({ rule: 'minimum', expected: '>= 2012-01-01' });
    const items = compileField({ name: 'a', type: 'array', constraints: { maxLength: 2 } });
    expect(items.castAndCheck('[1,2,3]')).toEqual({ rule: 'maxLength', expected: 'at most 2 items' });
  });

  it('returns the same violation object each time, so a cell costs no allocation', () => {
    const codec = compileField({ name: 'n', type: 'integer', constraints: { minimum: 0 } });
    expect(codec.castAndCheck('x')).toBe(codec.castAndCheck('y'));
    expect(codec.castAndCheck('-1')).toBe(codec.castAndCheck('-2'));
    expect(Object.isFrozen(codec.castAndCheck('x'))).toBe(true);
  });

  it('throws FieldDefinitionError naming the property for definitions it cannot compile', () => {
    const compile = (field: TableField) => () => compileField(field);
    expect(compile({ name: 'c', constraints: { pattern: '(' } })).toThrow(FieldDefinitionError);
    expect(compile({ name: 'n', type: 'integer', constraints: { minimum: 5, maximum: 1 } })).toThrow(
      'field "n": constraints/minimum is 5; expected a minimum no greater than the maximum (1)',
    );
    expect(compile({ name: 'b', type: 'boolean', constraints: { minimum: 1 } })).toThrow(/no minimum on a boolean field/);
    expect(compile({ name: 'd', type: 'date', constraints: { maximum: 'soon' } })).toThrow(
      /constraints\/maximum is "soon"; expected a date/,
    );
  });

  it('makes a single-field primary key required and unique', () => {
    const [id, name] = compileTableSchema({ fields: [{ name: 'id', type: 'integer' }, { name: 'name' }], primaryKey: 'id' });
    expect(id!.required && id!.unique).toBe(true);
    expect(id!.castAndCheck('')).toEqual({ rule: 'required', expected: 'a value' });
    expect(name!.required || name!.unique).toBe(false);
    const composite = compileTableSchema({ fields: [{ name: 'a' }, { name: 'b' }], primaryKey: ['a', 'b'] });
    expect(composite.map((c) => [c.required, c.unique])).toEqual([
      [true, false],
      [true, false],
    ]);
  });
});

describe('real data', () => {
  it('finds the expected violations in penguins.json with the hand-written schema', async () => {
    const records = JSON.parse(await readFile(penguinsPath, 'utf8')) as Record<string, unknown>[];
    const codecs = compileTableSchema(await loadTableSchema(schemaPath));
    const found: string[] = [];
    records.forEach((record, row) => {
      for (const codec of codecs) {
        const result = codec.castAndCheck(jsonValueText(record[codec.name]));
        if (isViolation(result)) found.push(`${row} ${codec.name} ${result.rule} ${result.expected}`);
      }
    });
    // Cross-checked with /usr/bin/python3 over the same file and bounds.
    expect(found).toEqual([
      '3 Body Mass (g) required a value',
      '19 Beak Depth (mm) maximum <= 21.4',
      '20 Flipper Length (mm) minimum >= 175',
      '28 Flipper Length (mm) minimum >= 175',
      '142 Beak Length (mm) minimum >= 33',
      '190 Body Mass (g) minimum >= 2800',
      '237 Body Mass (g) maximum <= 6000',
      '244 Beak Depth (mm) minimum >= 13.2',
      '253 Beak Length (mm) maximum <= 58',
      '253 Body Mass (g) maximum <= 6000',
      '283 Flipper Length (mm) maximum <= 230',
      '336 Sex enum one of MALE, FEMALE',
      '339 Body Mass (g) required a value',
    ]);
    // Valid cells come back as typed values.
    expect(codecs[2]!.castAndCheck(jsonValueText(records[0]!['Beak Length (mm)']))).toBe(39.1);
  });

  it('casts every cell of seattle-weather.csv and agrees with Date.parse and Number', async () => {
    const [header, ...lines] = (await readFile(seattlePath, 'utf8')).trim().split('\n');
    expect(header).toBe('date,precipitation,temp_max,temp_min,wind,weather');
    const date = compileField({ name: 'date', type: 'date', constraints: { required: true, minimum: '2012-01-01' } });
    const number = compileField({ name: 'temp_max', type: 'number', constraints: { minimum: -20, maximum: 60 } });
    const weather = compileField({ name: 'weather', constraints: { enum: ['drizzle', 'rain', 'sun', 'snow', 'fog'] } });
    let checked = 0;
    for (const line of lines) {
      const cells = line.split(',');
      expect(date.castAndCheck(cells[0]!)).toBe(Date.parse(`${cells[0]}T00:00:00Z`));
      for (const raw of cells.slice(1, 5)) expect(number.castAndCheck(raw)).toBe(Number(raw));
      expect(weather.castAndCheck(cells[5]!)).toBe(cells[5]);
      checked++;
    }
    expect(checked).toBe(1461);
  });
});
