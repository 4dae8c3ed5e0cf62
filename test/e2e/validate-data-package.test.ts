// A Data Package through the bundle, as the runner runs it: two resources with a foreign key violation, a hash
// mismatch and a `..` path (test/fixtures/data-package), annotated at the repository-relative file and line.
import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction } from './runner.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-vd-pkg-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'data-package'), join(dir, 'data', 'us'), { recursive: true });
  return dir;
}

describe('validate-data bundle: a Data Package', () => {
  it('validates every resource, refuses the tampered and the outside one by name, and reports the foreign key violation', async () => {
    const dir = workspace();
    const descriptor = readFileSync(join(dir, 'data', 'us', 'datapackage.json'), 'utf8').split('\n');
    const lineOf = (text: string, after = 0) => descriptor.findIndex((l, i) => i >= after && l.includes(text)) + 1;
    const run = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/us/datapackage.json' } });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => [a.file, a.line, a.title])).toEqual([
      ['data/us/datapackage.json', lineOf('"hash": "sha256:'), 'validate-data: integrity'],
      ['data/us/datapackage.json', lineOf('"path": "../outside.csv"'), 'validate-data: resource'],
      ['data/us/population.csv', 4, 'validate-data: foreignKey'],
      // The step's own failure line.
      [undefined, undefined, undefined],
    ]);
    expect(errors[0]!.message).toMatch(/^resource tampered was not read: its hash is sha256:0{64} but the file has sha256:[0-9a-f]{64}/);
    expect(errors[1]!.message).toContain('resource outside was not read: "../outside.csv" goes up with ".."');
    expect(errors[2]!.message).toBe('foreign key (state) = (XX) has no match in resource states (code)');
    expect(run.outputs['error-count']).toBe('3');
    expect(run.outputs.rows).toBe('7');
    expect(run.outputs.valid).toBe('false');
    // A line per resource in the summary.
    expect(run.summary).toContain('| states | data/us/states.csv | 3 | 0 | ✅ |');
    expect(run.summary).toContain('| population | data/us/population.csv | 4 | 1 | ❌ |');
    expect(run.summary).toMatch(/\| tampered \| data\/us\/tampered\.csv \| – \| – \| ❌ not read: hash is sha256:0/);
    expect(run.summary).toMatch(/\| outside \| {2}\| – \| – \| ❌ not read: "\.\.\/outside\.csv" goes up/);
    const profile = JSON.parse(readFileSync(run.outputs.profile!, 'utf8')) as { resources: { name: string; rows: number }[] };
    expect(profile.resources.map((r) => [r.name, r.rows])).toEqual([
      ['states', 3],
      ['population', 4],
    ]);
  });

  it('a dialect input reads a semicolon file; without it the error says which delimiter the header looks like', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-vd-dialect-'));
    writeFileSync(join(dir, 'data.csv'), 'id;name\n1;apple\nx;pear\n');
    writeFileSync(join(dir, 'schema.yaml'), 'fields:\n  - {name: id, type: integer}\n  - {name: name}\n');
    const plain = await runAction('validate-data', { workspace: dir, inputs: { data: 'data.csv', schema: 'schema.yaml' } });
    expect(plain.exitCode).toBe(1);
    expect(plain.annotations.find((a) => a.file === 'data.csv')!.message).toContain('the header reads as one column holding ";"');
    const read = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data.csv', schema: 'schema.yaml', dialect: '{delimiter: ";"}' },
    });
    const errors = read.annotations.filter((a) => a.level === 'error' && a.file);
    expect(errors.map((a) => [a.file, a.line, a.message])).toEqual([['data.csv', 3, 'column id: "x" breaks type: expected an integer']]);
  });

  it('reads inline JSON text (format json) as the rows it holds, annotating each row at its line of a YAML block', async () => {
    // data-resource.mdx: "JSON string: in this case the format or mediatype properties MUST be provided".
    const dir = mkdtempSync(join(tmpdir(), 'e2e-vd-inline-json-'));
    writeFileSync(
      join(dir, 'datapackage.yaml'),
      [
        'resources:',
        '  - name: fruit',
        '    format: json',
        '    schema:',
        '      fields:',
        '        - {name: id, type: integer}',
        '        - {name: name, constraints: {required: true}}',
        '    data: |',
        '      [',
        '        {"id": 1, "name": "apple"},',
        '        {"id": "two", "name": "pear"},',
        '        {"id": 3, "name": null}',
        '      ]',
        '',
      ].join('\n'),
    );
    const run = await runAction('validate-data', { workspace: dir, inputs: { data: 'datapackage.yaml' } });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error' && a.file);
    expect(errors.map((a) => [a.file, a.line, a.message])).toEqual([
      ['datapackage.yaml', 11, 'column id: "two" breaks type: expected an integer'],
      ['datapackage.yaml', 12, 'column name: a value is required'],
    ]);
    expect(run.outputs.rows).toBe('3');
    expect(run.summary).toContain('| fruit |');
  });
});
