import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../shared/errors.js';
import { loadTableSchema, parseTableSchema } from '../../../../shared/data/table-schema/index.js';

const fixture = new URL('../../../fixtures/table-schema/penguins.schema.yaml', import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'table-schema-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `text` to `name` in the temp folder and returns the InputError that loading it throws. */
async function loadError(name: string, text: string): Promise<InputError> {
  const path = join(dir, name);
  await writeFile(path, text);
  try {
    await loadTableSchema(path);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const inputError = error as InputError;
    // Messages name the file as given, so annotations and logs point at it.
    expect(inputError.message.startsWith(`${path}: `)).toBe(true);
    expect(inputError.at.file).toBe(path);
    return inputError;
  }
  throw new Error(`${name} loaded without error`);
}

describe('loadTableSchema', () => {
  it('loads the hand-written penguins schema from YAML', async () => {
    const schema = await loadTableSchema(fixture);
    expect(schema.fields.map((f) => f.name)).toEqual([
      'Species',
      'Island',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex',
    ]);
    expect(schema.fields[5]!.constraints).toEqual({ required: true, minimum: 2800, maximum: 6000 });
  });

  it('loads JSON with primaryKey, missingValues and foreignKeys', async () => {
    const path = join(dir, 'ok.json');
    const descriptor = {
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'day', type: 'date', format: '%d/%m/%Y' },
      ],
      missingValues: ['', 'NA'],
      primaryKey: ['id'],
      foreignKeys: [{ fields: 'id', reference: { resource: 'other', fields: 'id' } }],
    };
    await writeFile(path, JSON.stringify(descriptor, null, 2));
    expect(await loadTableSchema(path)).toEqual(descriptor);
  });

  it('names the bad type, its pointer, the allowed types and the line (YAML)', async () => {
    const error = await loadError(
      'schema.yaml',
      ['fields:', '  - name: a', '    type: integer', '  - name: b', '  - name: c', '    type: flaot', ''].join('\n'),
    );
    expect(error.message).toMatch(/: \/fields\/2\/type is "flaot"; expected one of string, number, integer, boolean, date, datetime/);
    expect(error.at.line).toBe(6);
  });

  it('gives the line of a bad value in a JSON file', async () => {
    const text = '{\n  "fields": [\n    {"name": "a"},\n    {"name": "b",\n     "type": "numbr"}\n  ]\n}\n';
    const error = await loadError('schema.json', text);
    expect(error.message).toMatch(/\/fields\/1\/type is "numbr"; expected one of string, number/);
    expect(error.at.line).toBe(5);
  });

  it('reports JSON syntax errors with their line', async () => {
    const error = await loadError('broken.json', '{\n  "fields": [\n    {"name": "a",}\n  ]\n}\n');
    expect(error.message).toMatch(/broken\.json: not valid JSON at line 3/);
    expect(error.at.line).toBe(3);
  });

  it('reports YAML syntax errors with their line', async () => {
    const error = await loadError('broken.yaml', 'fields:\n  - name: a\n    type: [integer\n  - name: b\n');
    expect(error.message).toMatch(/broken\.yaml: not valid YAML at line \d+/);
    expect(error.at.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects duplicate keys in YAML', async () => {
    const error = await loadError('dup-key.yaml', 'fields:\n  - name: a\n    name: b\n');
    expect(error.message).toMatch(/not valid YAML at line 3/);
  });

  it('rejects a primaryKey naming an unknown field', async () => {
    const error = await loadError('pk.yaml', 'fields:\n  - name: id\n    type: integer\n  - name: value\nprimaryKey: [id, ident]\n');
    expect(error.message).toMatch(/\/primaryKey\/1 is "ident"; expected the name of a field \(id, value\)/);
    expect(error.at.line).toBe(5);
  });

  it('rejects a string primaryKey naming an unknown field', async () => {
    const error = await loadError('pk-string.yaml', 'fields:\n  - name: id\nprimaryKey: key\n');
    expect(error.message).toMatch(/\/primaryKey is "key"; expected the name of a field \(id\)/);
  });

  it('rejects an invalid regular expression in pattern', async () => {
    const error = await loadError('regex.yaml', 'fields:\n  - name: code\n    constraints:\n      pattern: "[A-Z+"\n');
    expect(error.message).toMatch(
      /\/fields\/0\/constraints\/pattern is "\[A-Z\+"; expected an XML Schema regular expression for field "code" .*a \[ that is never closed/,
    );
    expect(error.at.line).toBe(4);
  });

  it('rejects minimum greater than maximum', async () => {
    const error = await loadError(
      'bounds.yaml',
      'fields:\n  - name: mass\n    type: integer\n    constraints:\n      minimum: 6000\n      maximum: 2800\n',
    );
    expect(error.message).toMatch(/\/fields\/0\/constraints\/minimum is 6000; expected a minimum no greater than the maximum \(2800\)/);
    expect(error.at.line).toBe(5);
  });

  it('accepts duplicate field names (v1 allowed them), with a warning', async () => {
    // "If the name properties are not unique ... a data consumer MUST NOT interpret it as an invalid descriptor".
    const path = join(dir, 'dup.yaml');
    await writeFile(path, 'fields:\n  - name: a\n  - name: b\n  - name: a\n');
    expect((await loadTableSchema(path)).fields.map((f) => f.name)).toEqual(['a', 'b', 'a']);
  });

  it('rejects fields that are not an array', async () => {
    const error = await loadError('fields.yaml', 'fields:\n  name: a\n');
    expect(error.message).toMatch(/\/fields is \{"name":"a"\}; expected an array/);
    expect(error.at.line).toBe(2);
  });

  it('rejects a document without fields', async () => {
    const error = await loadError('nofields.yaml', 'primaryKey: id\n');
    expect(error.message).toMatch(/the document has no "fields"; expected a "fields" array/);
  });

  it('rejects a field without a name', async () => {
    const error = await loadError('noname.yaml', 'fields:\n  - name: a\n  - type: integer\n');
    expect(error.message).toMatch(/\/fields\/1 has no "name"/);
    expect(error.at.line).toBe(3);
  });

  it('rejects a misspelt constraint', async () => {
    const error = await loadError('typo.yaml', 'fields:\n  - name: a\n    constraints:\n      requried: true\n');
    // table-schema.mdx: "Implementations SHOULD report an error if an attempt is made to evaluate a value against an unsupported constraint."
    expect(error.message).toMatch(
      /\/fields\/0\/constraints has "requried" \(did you mean "required"\?\); expected only the constraints required, unique/,
    );
    expect(error.at.line).toBe(4);
  });

  it('rejects enum values that are not of the field type', async () => {
    const error = await loadError('enum.yaml', 'fields:\n  - name: n\n    type: integer\n    constraints:\n      enum: [1, 2, three]\n');
    expect(error.message).toMatch(/\/fields\/0\/constraints\/enum\/2 is "three"; expected an integer/);
  });

  it('rejects an unsupported date format directive', async () => {
    const error = await loadError('format.yaml', 'fields:\n  - name: d\n    type: date\n    format: "%Q-%m"\n');
    expect(error.message).toMatch(/\/fields\/0\/format is "%Q-%m"; expected a pattern using only %Y/);
    expect(error.at.line).toBe(4);
  });

  it('rejects a document that is not an object', async () => {
    const error = await loadError('list.yaml', '- name: a\n');
    expect(error.message).toMatch(/the document is \[\{"name":"a"\}\]; expected an object with a "fields" array/);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'absent.yaml');
    await expect(loadTableSchema(path)).rejects.toThrow(new InputError(`${path}: cannot read the Table Schema: no such file`));
  });

  it('parses text with parseTableSchema as loadTableSchema does', () => {
    expect(() => parseTableSchema('fields: [{name: a, type: strng}]', 'inline.yaml')).toThrow(/inline\.yaml: \/fields\/0\/type is "strng"/);
  });
});
