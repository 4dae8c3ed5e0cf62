// Inline data as text (data-resource.mdx, "Inline Data"): "The value of the data property MUST be either: JSON array
// or object ... JSON string: in this case the format or mediatype properties MUST be provided", with inline CSV as
// its example; and for a Tabular Data Resource, data "MUST be an array".
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runValidateData, tempDir } from '../profile-run.js';

function workspace(name: string, descriptor: string): string {
  const dir = tempDir('vd-inline-');
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'pkg', name), descriptor);
  return dir;
}
const run = (dir: string, name: string) => runValidateData(dir, { data: `pkg/${name}`, 'fail-on': 'never' });
const errors = (log: string[]) => log.filter((l) => l.startsWith('error:'));

describe('inline CSV text in a resource', () => {
  it("is read as CSV when format says csv (the spec's example), annotated at the data's line in JSON, naming the row", async () => {
    const descriptor = `{
  "resources": [
    {
      "name": "abc",
      "format": "csv",
      "data": "A,B,C\\n1,2,3\\n4,x,6",
      "schema": {"fields": [{"name": "A", "type": "integer"}, {"name": "B", "type": "integer"}, {"name": "C", "type": "integer"}]}
    }
  ]
}
`;
    const result = await run(workspace('datapackage.json', descriptor), 'datapackage.json');
    expect(errors(result.log)).toEqual([
      'error: pkg/datapackage.json:6: row 2 of the inline data: column B: "x" breaks type: expected an integer',
    ]);
    expect(result.outputs.rows).toBe('2');
  });

  it("applies the resource's dialect, and annotates each row of a YAML block at its own line", async () => {
    const descriptor = [
      'resources:',
      '  - name: semi',
      '    mediatype: text/csv',
      '    dialect: {delimiter: ";", nullSequence: "NA", commentChar: "#"}',
      '    schema:',
      '      fields:',
      '        - {name: id, type: integer, constraints: {required: true}}',
      '        - {name: price, type: number}',
      '    data: |',
      '      id;price',
      '      # a comment line',
      '      1;2.5',
      '      NA;3',
      '      3;cheap',
      '',
    ].join('\n');
    const result = await run(workspace('datapackage.yaml', descriptor), 'datapackage.yaml');
    expect(errors(result.log)).toEqual([
      'error: pkg/datapackage.yaml:13: column id: a value is required',
      'error: pkg/datapackage.yaml:14: column price: "cheap" breaks type: expected a number',
    ]);
    expect(result.outputs.rows).toBe('3');
  });

  it('is refused without a format or mediatype, or in a resource of type table', async () => {
    const bare = `{"resources": [{"name": "t", "data": "a\\n1", "schema": {"fields": [{"name": "a"}]}}]}`;
    const noFormat = await runValidateData(workspace('datapackage.json', bare), { data: 'pkg/datapackage.json' });
    expect(noFormat.ok).toBe(false);
    expect(noFormat.log.join('\n')).toMatch(
      /\/resources\/0\/data is text without a format or mediatype; data-resource\.mdx: "in this case the format or mediatype properties MUST be provided"/,
    );
    const table = `{"resources": [{"name": "t", "type": "table", "format": "csv", "data": "a\\n1", "schema": {"fields": [{"name": "a"}]}}]}`;
    const typed = await runValidateData(workspace('datapackage.json', table), { data: 'pkg/datapackage.json' });
    expect(typed.ok).toBe(false);
    expect(typed.log.join('\n')).toMatch(/resource is of type table, whose data "MUST be an array"/);
  });
});

// The same sentence's other case: a JSON string whose format (or mediatype) says json is JSON text, read as the
// Tabular section says data is: "an array where each item in the array MUST be either" an array or an object.
describe('inline JSON text in a resource', () => {
  it('is parsed and read like inline arrays when format says json, each violation naming its row', async () => {
    const rows = JSON.stringify([
      { a: 1, b: 2 },
      { a: 'one', b: 3 },
    ]);
    const descriptor = `{
  "resources": [
    {
      "name": "spec-example",
      "format": "json",
      "data": ${JSON.stringify(rows)},
      "schema": {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    }
  ]
}
`;
    const result = await run(workspace('datapackage.json', descriptor), 'datapackage.json');
    expect(errors(result.log)).toEqual([
      'error: pkg/datapackage.json:6: row 2 of the inline data: column a: "one" breaks type: expected an integer',
    ]);
    expect(result.outputs.rows).toBe('2');
    expect(result.profile!.resources!.map((r) => r.columns.map((c) => c.name))).toEqual([['a', 'b']]);
  });

  it('annotates each row of a YAML block at the line it starts on (mediatype application/json, arrays with a header)', async () => {
    const descriptor = [
      'resources:',
      '  - name: block',
      '    mediatype: application/json',
      '    schema:',
      '      fields:',
      '        - {name: id, type: integer, constraints: {required: true}}',
      '        - {name: price, type: number}',
      '    data: |',
      '      [',
      '        ["id", "price"],',
      '        [1, 2.5],',
      '        [null, 3],',
      '        [3, "cheap"]',
      '      ]',
      '',
    ].join('\n');
    const result = await run(workspace('datapackage.yaml', descriptor), 'datapackage.yaml');
    expect(errors(result.log)).toEqual([
      'error: pkg/datapackage.yaml:12: column id: a value is required',
      'error: pkg/datapackage.yaml:13: column price: "cheap" breaks type: expected a number',
    ]);
    expect(result.outputs.rows).toBe('3');
  });

  it('is refused when it is not JSON, with the line and column inside the text and the descriptor line of that text line', async () => {
    const descriptor = [
      'resources:',
      '  - name: broken',
      '    format: json',
      '    data: |',
      '      [',
      '        ["a"],',
      '        [1,,]',
      '      ]',
      '',
    ].join('\n');
    const result = await runValidateData(workspace('datapackage.yaml', descriptor), { data: 'pkg/datapackage.yaml' });
    expect(result.ok).toBe(false);
    const text = result.log.join('\n');
    expect(text).toMatch(/\/resources\/0\/data is not valid JSON at line 3, column 6 of the inline text/);
    expect(text).toMatch(/pkg\/datapackage\.yaml:7/);
  });

  it('refuses an object ("MUST be an array") unless the dialect\'s property names the key holding the rows', async () => {
    const object = JSON.stringify({ rows: [{ id: 1 }, { id: 2 }] });
    const bare = `{"resources": [{"name": "o", "format": "json", "data": ${JSON.stringify(object)}, "schema": {"fields": [{"name": "id", "type": "integer"}]}}]}`;
    const refused = await runValidateData(workspace('datapackage.json', bare), { data: 'pkg/datapackage.json' });
    expect(refused.ok).toBe(false);
    expect(refused.log.join('\n')).toMatch(
      /\/resources\/0\/data is \{"rows":\[\{"id":1\},\{"id":2\}\]\}; a tabular resource's data "MUST be an array" of arrays or of objects \(data-resource\.mdx\), or set the dialect's property/,
    );
    // table-dialect.mdx, property: "This property specifies where a data array is located in the data structure."
    const withProperty = bare.replace('"schema"', '"dialect": {"property": "rows"}, "schema"');
    const read = await run(workspace('datapackage.json', withProperty), 'datapackage.json');
    expect(errors(read.log)).toEqual([]);
    expect(read.outputs.rows).toBe('2');
  });

  it('applies itemKeys (which keys, in order), itemType (what every item must be) and header: false', async () => {
    // table-dialect.mdx, itemKeys: "specifies the way of extracting rows from data arrays with itemType is object".
    const objects = JSON.stringify([
      { name: 'apple', id: 1, count: 2 },
      { id: 'two', name: 'orange', count: 5 },
    ]);
    const keyed = `{"resources": [{"name": "k", "format": "json", "data": ${JSON.stringify(objects)}, "dialect": {"itemKeys": ["id", "name"]}, "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}}]}`;
    const picked = await run(workspace('datapackage.json', keyed), 'datapackage.json');
    expect(errors(picked.log)).toEqual([
      'error: pkg/datapackage.json:1: row 2 of the inline data: column id: "two" breaks type: expected an integer',
    ]);
    expect(picked.profile!.resources![0]!.columns.map((c) => c.name)).toEqual(['id', 'name']);
    // itemType: "whether the data property contains an array of arrays or an array of objects".
    const wrongType = keyed.replace('"itemKeys": ["id", "name"]', '"itemType": "array"');
    const mismatch = await runValidateData(workspace('datapackage.json', wrongType), { data: 'pkg/datapackage.json' });
    expect(mismatch.ok).toBe(false);
    expect(mismatch.log.join('\n')).toMatch(
      /\/resources\/0\/data\/0 is \{"name":"apple","id":1,"count":2\}; expected an array, since the dialect's itemType is "array"/,
    );
    // header (table-dialect.mdx): with header false the first array is data, named by the schema.
    const arrays = JSON.stringify([
      [1, 'apple'],
      [2, 'orange'],
    ]);
    const headerless = `{"resources": [{"name": "h", "format": "json", "data": ${JSON.stringify(arrays)}, "dialect": {"header": false}, "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}}]}`;
    const noHeader = await run(workspace('datapackage.json', headerless), 'datapackage.json');
    expect(errors(noHeader.log)).toEqual([]);
    expect(noHeader.outputs.rows).toBe('2');
  });

  it('is tabular without a schema when the text holds an array (types inferred), and still needs its format', async () => {
    const descriptor = `{"resources": [{"name": "plain", "mediatype": "application/json", "data": "[[\\"x\\"], [1], [2]]"}]}`;
    const result = await run(workspace('datapackage.json', descriptor), 'datapackage.json');
    expect(errors(result.log)).toEqual([]);
    expect(result.outputs.rows).toBe('2');
  });
});

describe('where inline JSON text stops being JSON', () => {
  it('agrees with JSON.parse on what is JSON, and gives the line and column of the first bad character', async () => {
    const { jsonErrorPosition } = await import('../../../../shared/data/data-package.js');
    const corpus = [
      '[]',
      '{}',
      '[1, 2.5e-3, -0, "a\\u00e9", true, false, null, {"k": [{}]}]',
      ' \n[\n]\n ',
      '"text"',
      '0',
      '',
      '[',
      ']',
      '[1,]',
      '[1,,]',
      '{"a" 1}',
      '{"a": 1,}',
      "['a']",
      '[01]',
      '[1.]',
      '[.5]',
      '[+1]',
      '[tru]',
      '[NaN]',
      '{"a": "\t"}',
      '[1] [2]',
      '{"a":1}}',
      '[1}',
      '{a: 1}',
      '"\\x"',
      '[1e]',
      '[-]',
      '[[[[[[]]]]]',
      '["é", 1 2]',
    ];
    for (const text of corpus) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect([text, jsonErrorPosition(text) === undefined]).toEqual([text, valid]);
    }
    expect(jsonErrorPosition('[\n  ["a"],\n  [1,,]\n]')).toEqual({ line: 3, column: 6 });
    expect(jsonErrorPosition('["é", 1 2]')).toEqual({ line: 1, column: 9 });
    expect(jsonErrorPosition('[1')).toEqual({ line: 1, column: 3 });
    expect(jsonErrorPosition('['.repeat(200_000))).toEqual({ line: 1, column: 200_001 });
  });
});
