import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import {
  compileTableSchema,
  formatTableSchemaYaml,
  inferTableSchema,
  inferTableSchemaFromRecords,
  isViolation,
  jsonValueText,
  parseTableSchema,
} from '../../../../shared/data/table-schema/index.js';

const vegaData = new URL('../../../../node_modules/vega-datasets/data/', import.meta.url);

async function seattleWeather(): Promise<{ headers: string[]; rows: string[][] }> {
  const [header, ...lines] = (await readFile(new URL('seattle-weather.csv', vegaData), 'utf8')).trim().split('\n');
  return { headers: header!.split(','), rows: lines.map((line) => line.split(',')) };
}

async function penguins(): Promise<Record<string, unknown>[]> {
  return JSON.parse(await readFile(new URL('penguins.json', vegaData), 'utf8')) as Record<string, unknown>[];
}

describe('inferTableSchema', () => {
  it('infers seattle-weather.csv', async () => {
    const { headers, rows } = await seattleWeather();
    expect(inferTableSchema(headers, rows)).toEqual({
      fields: [
        { name: 'date', type: 'date', constraints: { required: true } },
        { name: 'precipitation', type: 'number', constraints: { required: true } },
        { name: 'temp_max', type: 'number', constraints: { required: true } },
        { name: 'temp_min', type: 'number', constraints: { required: true } },
        { name: 'wind', type: 'number', constraints: { required: true } },
        { name: 'weather', type: 'string', constraints: { required: true, enum: ['drizzle', 'fog', 'rain', 'snow', 'sun'] } },
      ],
    });
  });

  it('infers a datetime written with a space as a strptime format, since the default format needs a T', () => {
    // table-schema.mdx, datetime: "default: The lexical representation MUST be in a form defined by XML Schema".
    const schema = inferTableSchema(
      ['t', 'mixed'],
      [
        ['2020-01-02 11:00:00', '2020-01-02 11:00:00'],
        ['2020-01-03 12:30:59', '2020-01-03T12:30:59'],
      ],
    );
    expect(schema.fields[0]).toEqual({ name: 't', type: 'datetime', format: '%Y-%m-%d %H:%M:%S', constraints: { required: true } });
    expect(schema.fields[1]!.type).toBe('string');
  });

  it('follows the priority integer, number, boolean, date, datetime, string, ignoring missing cells', () => {
    const headers = ['int', 'num', 'bool', 'date', 'datetime', 'text', 'empty', 'binary'];
    const rows = [
      ['1', '1', 'true', '2020-01-01', '2020-01-01T10:00:00Z', 'a', '', '0'],
      ['', '2.5', 'FALSE', '', '2020-01-02T11:00:00', '1', '', '1'],
      ['-3', 'NaN', '', '2020-02-29', '', '2020-01-01', '', '1'],
    ];
    const schema = inferTableSchema(headers, rows);
    expect(schema.fields.map((f) => f.type)).toEqual(['integer', 'number', 'boolean', 'date', 'datetime', 'string', 'any', 'integer']);
    expect(schema.fields.map((f) => f.constraints?.required ?? false)).toEqual([false, true, false, false, false, true, false, true]);
    // Three rows are too few to call a column an enumeration.
    expect(schema.fields[5]!.constraints?.enum).toBeUndefined();
  });

  it('uses the given missing values and writes them into the schema', () => {
    const schema = inferTableSchema(['n'], [['1'], ['NA'], ['3']], { missingValues: ['', 'NA'] });
    expect(schema).toEqual({ fields: [{ name: 'n', type: 'integer' }], missingValues: ['', 'NA'] });
  });

  it('gives an enum only for few distinct values in enough rows', () => {
    const many = Array.from({ length: 60 }, (_, i) => [`v${i % 11}`]);
    expect(inferTableSchema(['s'], many).fields[0]!.constraints).toEqual({ required: true });
    const few = Array.from({ length: 60 }, (_, i) => [`v${i % 10}`]);
    expect(inferTableSchema(['s'], few).fields[0]!.constraints?.enum).toHaveLength(10);
  });
});

describe('inferTableSchemaFromRecords', () => {
  it('infers penguins.json, with its nulls and the "." in Sex', async () => {
    const schema = inferTableSchemaFromRecords(await penguins());
    expect(schema.fields).toEqual([
      { name: 'Species', type: 'string', constraints: { required: true, enum: ['Adelie', 'Chinstrap', 'Gentoo'] } },
      { name: 'Island', type: 'string', constraints: { required: true, enum: ['Biscoe', 'Dream', 'Torgersen'] } },
      { name: 'Beak Length (mm)', type: 'number' },
      { name: 'Beak Depth (mm)', type: 'number' },
      { name: 'Flipper Length (mm)', type: 'integer' },
      { name: 'Body Mass (g)', type: 'integer' },
      // The data has one "." (an unknown sex written as text): inference keeps it for review.
      { name: 'Sex', type: 'string', constraints: { enum: ['.', 'FEMALE', 'MALE'] } },
    ]);
  });

  it('validates the data it was inferred from without a violation', async () => {
    const records = await penguins();
    const codecs = compileTableSchema(inferTableSchemaFromRecords(records));
    const violations = records.flatMap((record) =>
      codecs.filter((codec) => isViolation(codec.castAndCheck(jsonValueText(record[codec.name])))).map((c) => c.name),
    );
    expect(violations).toEqual([]);
  });

  it('maps JSON booleans, objects and arrays, and unions the keys', () => {
    const schema = inferTableSchemaFromRecords([
      { flag: true, tags: ['a'], meta: { k: 1 } },
      { flag: false, tags: [], meta: null, extra: 1.5 },
    ]);
    expect(schema.fields).toEqual([
      { name: 'flag', type: 'boolean', constraints: { required: true } },
      { name: 'tags', type: 'array', constraints: { required: true } },
      { name: 'meta', type: 'object' },
      { name: 'extra', type: 'number' },
    ]);
  });
});

describe('formatTableSchemaYaml', () => {
  it('writes a commented YAML that loads back to the same schema', async () => {
    const schema = inferTableSchemaFromRecords(await penguins());
    const yaml = formatTableSchemaYaml(schema);
    expect(yaml).toMatch(/^# Frictionless Table Schema \(v1\), inferred by mlops/);
    expect(yaml).toMatch(/Review it/);
    expect(yaml).toContain('enum: [ ., FEMALE, MALE ]');
    expect(parseTableSchema(yaml, 'penguins.schema.yaml')).toEqual(schema);
  });
});
