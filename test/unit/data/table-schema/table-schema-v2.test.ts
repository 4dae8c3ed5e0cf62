// Table Schema v2 and "nothing silently ignored", each test citing the sentence of
// the Table Schema v2 text (frictionless table-schema.mdx) it checks (the cell-level rules are in the
// differential corpus, test/fixtures/table-schema/differential/cells.json, each case with its sentence).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { renderProfileValidators } from '../../../../scripts/table-schema-profiles.js';
import { InputError } from '../../../../shared/errors.js';
import { parseTableSchemaWithWarnings } from '../../../../shared/data/table-schema/descriptor.js';
import { headerMismatches } from '../../../../shared/data/table-schema/fields-match.js';
import { type TablePlan, TableProfiler } from '../../../../shared/data/table-profiler.js';
import type { TableField, TableSchema } from '../../../../shared/data/table-schema/types.js';
import { ViolationLog } from '../../../../shared/data/violations.js';

function load(yaml: string): ReturnType<typeof parseTableSchemaWithWarnings> {
  return parseTableSchemaWithWarnings(yaml, 'schema.yaml');
}

function loadError(yaml: string): InputError {
  try {
    load(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('the schema loaded without error');
}

describe('descriptors: nothing the standard defines is silently ignored', () => {
  it('warns about a likely misspelt property, naming the one it resembles, at its line', () => {
    // "The field descriptor object MAY contain any number of other properties": custom ones stay allowed.
    const { warnings } = load(
      [
        'fields:',
        '  - name: id',
        '    type: integer',
        '    maxLenght: 3',
        '    x-owner: data-team',
        'primarykey: id',
        'missingvalues: ["-"]',
        '',
      ].join('\n'),
    );
    expect(warnings.map((w) => [w.line, w.message])).toEqual([
      [6, 'the schema has "primarykey", which is not a Table Schema property and is ignored; did you mean "primaryKey"?'],
      [7, 'the schema has "missingvalues", which is not a Table Schema property and is ignored; did you mean "missingValues"?'],
      [4, '/fields/0 (id) has "maxLenght", which is not a Table Schema property and is ignored; did you mean "maxLength"?'],
    ]);
    expect(load('fields: [{name: a}]\nforeignkeys: []\n').warnings[0]!.message).toMatch(/did you mean "foreignKeys"/);
  });

  it('refuses an unknown constraint, suggesting the one it resembles', () => {
    // "Implementations SHOULD report an error if an attempt is made to evaluate a value against an unsupported constraint."
    const error = loadError('fields:\n  - name: a\n    constraints:\n      maxLenght: 3\n');
    expect(error.message).toMatch(/\/fields\/0\/constraints has "maxLenght" \(did you mean "maxLength"\?\)/);
    expect(error.at.line).toBe(4);
  });

  it('checks the descriptor against the official v2 profile, naming the property', () => {
    // "The foreignKeys property, if present, MUST be an Array" (the profile also wants at least one item).
    const error = loadError('fields:\n  - name: a\nforeignKeys: []\n');
    expect(error.message).toBe('schema.yaml: /foreignKeys is []; expected at least 1 item(s) (the Table Schema v2 profile)');
    expect(error.at.line).toBe(3);
  });

  it('checks against the v1 profile as well when $schema names it', () => {
    // "The default value is https://datapackage.org/profiles/1.0/tableschema.json": v1 has no {value, label} missing values.
    const v2 = 'fields:\n  - name: a\nmissingValues:\n  - value: "-"\n    label: refused\n';
    expect(load(v2).warnings).toEqual([]);
    const error = loadError(`$schema: https://datapackage.org/profiles/1.0/tableschema.json\n${v2}`);
    expect(error.message).toMatch(
      /\/missingValues\/0 is \{"value":"-","label":"refused"\}; expected a string \(the Table Schema v1 profile \(\$schema\)\)/,
    );
    expect(load(`$schema: https://datapackage.org/profiles/2.0/tableschema.json\n${v2}`).warnings).toEqual([]);
  });

  it('uses profile validators that are what npm run docs renders from the vendored profiles', () => {
    const generated = new URL('../../../../shared/data/table-schema/profile-validators.generated.ts', import.meta.url);
    expect(readFileSync(generated, 'utf8')).toBe(renderProfileValidators());
  });

  it('says when $schema names a profile it cannot fetch', () => {
    // "$schema ... MUST be a profile as per Profile definition": a custom profile is allowed but not fetched here.
    const { warnings } = load('$schema: https://example.org/my-profile.json\nfields: [{name: a}]\n');
    expect(warnings[0]!.message).toMatch(/a profile this run cannot fetch; the descriptor was checked against the Table Schema v2 profile/);
  });

  it('accepts the v2 properties and refuses their bad values', () => {
    // fieldsMatch "MUST be a string with the following possible values".
    expect(load('fields: [{name: a}]\nfieldsMatch: equal\n').schema.fieldsMatch).toBe('equal');
    expect(loadError('fields: [{name: a}]\nfieldsMatch: loose\n').message).toMatch(
      /\/fieldsMatch is "loose"; expected one of exact, equal, subset, superset, partial/,
    );
    // "A uniqueKey MUST be an array of strings with each string corresponding to one of the field name values".
    expect(loadError('fields: [{name: a}, {name: b}]\nuniqueKeys: [[a, c]]\n').message).toMatch(
      /\/uniqueKeys\/0\/1 is "c"; expected the name of a field \(a, b\)/,
    );
    // "string and integer field types MAY include a categories property".
    expect(loadError('fields: [{name: a, type: number, categories: [1, 2]}]\n').message).toMatch(
      /\/fields\/0\/categories is \[1,2\]; expected no categories on a number field/,
    );
    // "An enum constraint MAY be added to a field with a categories property, but if so, the enum values MUST be a subset".
    expect(loadError('fields: [{name: a, categories: [x, y], constraints: {enum: [x, z]}}]\n').message).toMatch(
      /\/fields\/0\/constraints\/enum\/1 is "z"; expected one of the field's categories/,
    );
    // jsonSchema: "A valid JSON Schema object".
    expect(loadError('fields: [{name: a, type: object, constraints: {jsonSchema: {type: nope}}}]\n').message).toMatch(
      /\/fields\/0\/constraints\/jsonSchema is .*; expected a valid JSON Schema/,
    );
    // itemType: "If present, it MUST be one of string, integer, boolean, number, datetme, date, and time" (sic).
    expect(loadError('fields: [{name: a, type: list, itemType: datetme}]\n').message).toMatch(
      /\/fields\/0\/itemType is "datetme"; expected one of string, integer, boolean, number, datetime, date, time/,
    );
    // exclusiveMinimum: "Fields: integer, number, date, time, datetime, duration, year, yearmonth" (not string).
    expect(loadError('fields: [{name: a, type: string, constraints: {exclusiveMinimum: 1}}]\n').message).toMatch(
      /no exclusiveMinimum on a string field/,
    );
  });
});

describe('fieldsMatch', () => {
  const schema = (fieldsMatch?: TableSchema['fieldsMatch']): TableSchema => ({
    fields: [{ name: 'a' }, { name: 'b' }],
    ...(fieldsMatch ? { fieldsMatch } : {}),
  });
  const messages = (s: TableSchema, columns: string[]): string[] => headerMismatches(s, columns, true).map((m) => m.message);

  it('exact (the default): the same fields, in order', () => {
    // "exact (default): The data source MUST have exactly the same fields as defined in the fields array. Fields MUST be mapped by their order."
    expect(messages(schema(), ['a', 'b'])).toEqual([]);
    expect(messages(schema(), ['b', 'a'])[0]).toMatch(/column 1 is b, but the schema's field 1 is a/);
    expect(messages(schema(), ['a'])).toEqual(["the schema's field b is missing from the header"]);
  });

  it('equal: the same fields, in any order', () => {
    // "equal: The data source MUST have exactly the same fields as defined in the fields array. Fields MUST be mapped by their names."
    expect(messages(schema('equal'), ['b', 'a'])).toEqual([]);
    expect(messages(schema('equal'), ['b', 'a', 'c'])).toEqual(['column c is not in the schema (fieldsMatch: equal)']);
  });

  it('subset, superset and partial', () => {
    // "subset: The data source MUST have all the fields defined in the fields array, but MAY have more."
    expect(messages(schema('subset'), ['c', 'b', 'a'])).toEqual([]);
    expect(messages(schema('subset'), ['a'])).toEqual(["the schema's field b is missing from the header (fieldsMatch: subset)"]);
    // "superset: The data source MUST only have fields defined in the fields array, but MAY have fewer."
    expect(messages(schema('superset'), ['a'])).toEqual([]);
    expect(messages(schema('superset'), ['a', 'c'])).toEqual(['column c is not in the schema (fieldsMatch: superset)']);
    // "partial: The data source MUST have at least one field defined in the fields array."
    expect(messages(schema('partial'), ['a', 'c'])).toEqual([]);
    expect(messages(schema('partial'), ['c'])[0]).toMatch(/no column of the header is a field of the schema/);
  });
});

describe('the profiler enforces what the schema says', () => {
  function violations(fields: TableField[], rows: string[][], plan: Partial<TablePlan> = {}): string[] {
    const log = new ViolationLog(100);
    const profiler = new TableProfiler(
      't.csv',
      { columns: fields.map((field) => ({ field, enforce: true })), missingValues: [''], primaryKey: [], uniqueKeys: [], ...plan },
      log,
    );
    // Through the CSV path, where plain numbers and categories take the byte fast paths.
    const text = rows.map((r) => r.join(',')).join('\n');
    const buf = Buffer.from(text);
    let offset = 0;
    rows.forEach((row, line) => {
      const starts = new Int32Array(row.length);
      const ends = new Int32Array(row.length);
      const quoting = new Uint8Array(row.length);
      row.forEach((cell, i) => {
        starts[i] = offset;
        ends[i] = offset + Buffer.byteLength(cell);
        offset = ends[i]! + 1;
      });
      profiler.record(buf, { starts, ends, quoting } as never, row.length, line + 2);
    });
    profiler.finish();
    return log.reported.map((v) => `${v.line} ${v.rule}`);
  }

  it('checks constraint values written as strings on the fast path', () => {
    // "the physical representation of constraint values MAY be ... strings that are castable with the type and format rules of the field".
    expect(violations([{ name: 'n', type: 'integer', constraints: { maximum: '5' } }], [['5'], ['6']])).toEqual(['3 maximum']);
    expect(violations([{ name: 'x', type: 'number', constraints: { exclusiveMinimum: 0 } }], [['0.5'], ['0']])).toEqual([
      '3 exclusiveMinimum',
    ]);
  });

  it('reads an empty cell as a value when missingValues leaves "" out', () => {
    // "Providing the empty list [] means that no conversion to null will be done, on any value."
    const required: TableField = { name: 's', type: 'string', constraints: { required: true } };
    expect(violations([required], [['a'], ['']], { missingValues: [] })).toEqual([]);
    expect(violations([required], [['a'], ['']])).toEqual(['3 required']);
    expect(violations([{ name: 'b', type: 'boolean' }], [['true'], ['']], { missingValues: ['-'] })).toEqual(['3 type']);
  });

  it('enforces a primary key given as one string, and its fields as required', () => {
    // "Data consumer MUST support the primaryKey property in a form of a single string"; "their use in the
    // primary key is equivalent to adding required: true to their constraints".
    const fields: TableField[] = [{ name: 'id', type: 'integer' }, { name: 'v' }];
    expect(
      violations(
        fields,
        [
          ['1', 'a'],
          ['01', 'b'],
          ['', 'c'],
        ],
        { primaryKey: ['id'] },
      ),
    ).toEqual(['3 primaryKey', '4 required']);
  });
});
