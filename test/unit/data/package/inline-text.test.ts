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
  it("is read as CSV when format says csv (the spec's example), annotated at the data's line in JSON", async () => {
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
    expect(errors(result.log)).toEqual(['error: pkg/datapackage.json:6: column B: "x" breaks type: expected an integer']);
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
