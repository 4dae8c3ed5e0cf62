// Two v2 rules about fields, each test citing the sentence of table-schema.mdx it checks: repeated field names
// are accepted (v1 allowed them) and matched by position, and a field without `type` is of type `any`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTableSchemaWithWarnings } from '../../../../shared/data/table-schema/descriptor.js';
import { compileField, compileTableSchema } from '../../../../shared/data/table-schema/field.js';
import { headerMismatches } from '../../../../shared/data/table-schema/fields-match.js';
import { isViolation, type TableSchema } from '../../../../shared/data/table-schema/types.js';
import { readTable } from '../../../../shared/data/table-reading.js';
import { ViolationLog } from '../../../../shared/data/violations.js';
import { runValidateData, tempDir } from '../profile-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'names-and-any-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads `csv` against `schema` as validate-data does, giving "line rule column" per violation. */
async function violations(schema: TableSchema, csv: string): Promise<string[]> {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, csv);
  const log = new ViolationLog(100);
  await readTable(
    {
      sources: [{ path, absolute: path, format: 'csv', gzip: false, size: csv.length }],
      continued: false,
      schema,
      foreignKeys: [],
      inPackage: false,
    },
    log,
    { maxReported: 100 },
  );
  return log.reported.map((v) => `${v.line} ${v.rule} ${v.column ?? ''}`.trim());
}

describe('repeated field names', () => {
  it('are accepted with a warning at the repeat, not refused', () => {
    // "If the name properties are not unique amongst a Table Schema a data consumer MUST NOT interpret it as an invalid descriptor".
    const { schema, warnings } = parseTableSchemaWithWarnings('fields:\n  - name: a\n  - name: b\n  - name: a\n', 's.yaml');
    expect(schema.fields).toHaveLength(3);
    expect(warnings.map((w) => [w.line, w.message])).toEqual([
      [
        4,
        '/fields/2/name is "a", the same as /fields/0/name: field names should be unique (table-schema.mdx); the columns named "a" are matched to these fields in order, and a key naming it means /fields/0',
      ],
    ]);
  });

  it('match columns by position: each column is checked against its own field', async () => {
    // "exact (default): ... Fields MUST be mapped by their order."
    const schema: TableSchema = { fields: [{ name: 'a', type: 'integer' }, { name: 'b' }, { name: 'a', type: 'boolean' }] };
    expect(await violations(schema, 'a,b,a\n1,x,true\nyes,x,2\n')).toEqual(['3 type a', '3 type a']);
    expect(await violations(schema, 'a,b,a\n1,x,true\n')).toEqual([]);
    // The k-th column of a name is the k-th field of that name, under fieldsMatch equal too.
    expect(await violations({ ...schema, fieldsMatch: 'equal' }, 'b,a,a\nx,1,true\nx,true,maybe\n')).toEqual(['3 type a', '3 type a']);
  });

  it('are counted by fieldsMatch: a repeat is a column of its own', () => {
    // "The data source MUST have exactly the same fields as defined in the fields array."
    const schema: TableSchema = { fields: [{ name: 'a' }, { name: 'a' }] };
    expect(headerMismatches(schema, ['a', 'a'], true)).toEqual([]);
    expect(headerMismatches(schema, ['a'], true).map((m) => m.message)).toEqual(["the schema's field a is missing from the header"]);
    expect(headerMismatches({ fields: [{ name: 'a' }] }, ['a', 'a'], true).map((m) => m.message)).toEqual([
      'column a is repeated 2 times but the schema has 1 field(s) of that name',
    ]);
    expect(headerMismatches({ ...schema, fieldsMatch: 'superset' }, ['a'], true)).toEqual([]);
  });

  it('key on the first field of the name', async () => {
    // "A primary key is a field or set of fields that uniquely identifies each row"; the key names a; the first a is meant.
    const schema: TableSchema = { fields: [{ name: 'a', type: 'integer' }, { name: 'a' }], primaryKey: 'a' };
    expect(compileTableSchema(schema).map((c) => c.required)).toEqual([true, false]);
    expect(await violations(schema, 'a,a\n1,x\n2,x\n1,y\n3,\n')).toEqual(['4 primaryKey']);
  });
});

describe('repeated field names in a Data Package resource', () => {
  it("are read by position and warned about at the schema's line in the descriptor", async () => {
    const dir = tempDir('vd-dup-');
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', 'a.csv'), 'x,x\n1,true\n2,maybe\n');
    const descriptor = {
      resources: [
        {
          name: 'a',
          path: 'a.csv',
          schema: {
            fields: [
              { name: 'x', type: 'integer' },
              { name: 'x', type: 'boolean' },
            ],
          },
        },
      ],
    };
    writeFileSync(join(dir, 'pkg', 'datapackage.json'), JSON.stringify(descriptor, null, 2));
    const run = await runValidateData(dir, { data: 'pkg/datapackage.json', 'fail-on': 'never' });
    expect(run.log.filter((l) => l.startsWith('warning:'))).toEqual([
      expect.stringMatching(/^warning: pkg\/datapackage\.json:\d+: resource a: \/fields\/1\/name is "x", the same as \/fields\/0\/name/),
    ]);
    expect(run.log.filter((l) => l.startsWith('error:'))).toEqual([
      'error: pkg/a.csv:3: column x: "maybe" breaks type: expected a boolean (true, True, TRUE, 1, false, False, FALSE, 0)',
    ]);
  });
});

describe('a field without type is of type any', () => {
  it('keeps the cell as it is: no cast, no type error', () => {
    // "If type is not provided a consumer MUST utilize the any type for the field instead of inferring it from the field's values."
    // "A data consumer MUST NOT perform any processing on this field's values and MUST interpret them as it is in the data source."
    const codec = compileField({ name: 'x' });
    expect(codec.type).toBe('any');
    for (const cell of ['1', 'abc', 'true', '{"a":1}', ' padded ']) expect(codec.castAndCheck(cell)).toBe(cell);
    expect(codec.castAndCheck('')).toBeNull();
  });

  it('still applies the constraints every type has: required, unique, enum', async () => {
    // required, unique and enum: "Fields: all".
    const required = compileField({ name: 'x', constraints: { required: true, enum: ['a', 1] } });
    expect(isViolation(required.castAndCheck(''))).toBe(true);
    expect(required.castAndCheck('1')).toBe('1');
    expect(required.castAndCheck('a')).toBe('a');
    expect(required.castAndCheck('b')).toMatchObject({ rule: 'enum' });
    expect(await violations({ fields: [{ name: 'x', constraints: { unique: true } }] }, 'x\n1\n01\n1\n')).toEqual(['4 unique x']);
  });

  it('refuses a bound or a format, which need a type, saying to add one', () => {
    // "If a minimum value constraint is specified then the field descriptor MUST contain a type key."
    expect(() => compileField({ name: 'x', constraints: { minimum: 1 } })).toThrow(
      'field "x": constraints/minimum is 1; expected a type on the field (a minimum needs one; a field without a type is of type any)',
    );
    expect(() => compileField({ name: 'x', format: 'email' })).toThrow(
      /format is "email"; expected no format on a field without a type .* add type: string/,
    );
  });

  it('measures and matches the text when the profile allows it (pattern, minLength, maxLength)', () => {
    // The official profile reads a field without type through its string branch, which allows these.
    const codec = compileField({ name: 'x', constraints: { pattern: '[a-z]+', maxLength: 3 } });
    expect(codec.castAndCheck('abc')).toBe('abc');
    expect(codec.castAndCheck('abcd')).toMatchObject({ rule: 'maxLength' });
    expect(codec.castAndCheck('ab1')).toMatchObject({ rule: 'pattern' });
  });
});
