// expectations and infer-schema with a Data Package: expectations apply per resource, by the resource's name
// (`resources: <name>: {rows, columns}`); infer-schema names a folder and writes `<resource>.schema.yaml` for each
// tabular resource without a schema, leaving those with one alone (README, validate-data, "Expectations").
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runValidateData, tempDir } from '../profile-run.js';

function workspace(files: Record<string, string>): string {
  const dir = tempDir('vd-pkg-exp-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const descriptor = JSON.stringify(
  {
    resources: [
      {
        name: 'people',
        path: 'people.csv',
        schema: {
          fields: [
            { name: 'id', type: 'integer' },
            { name: 'age', type: 'integer' },
          ],
        },
      },
      { name: 'towns', path: 'towns.csv', format: 'csv' },
    ],
  },
  null,
  2,
);
const files = {
  'pkg/datapackage.json': descriptor,
  'pkg/people.csv': 'id,age\n1,30\n2,\n3,50\n',
  'pkg/towns.csv': 'town,population\nA,100\nB,2500\n',
};
const errors = (log: string[]) => log.filter((l) => l.startsWith('error:'));

describe('expectations with a Data Package', () => {
  it("apply to each resource by its name, at the rule's line", async () => {
    const dir = workspace({
      ...files,
      'exp.yaml': [
        'resources:',
        '  people:',
        '    rows: { min: 5 }',
        '    columns:',
        '      age: { max-null-fraction: 0.1 }',
        '  towns:',
        '    columns:',
        '      population: { mean: { max: 1000 } }',
        '      area: { distinct: { min: 1 } }',
        '  roads:',
        '    rows: { min: 1 }',
        '',
      ].join('\n'),
    });
    const result = await runValidateData(dir, { data: 'pkg/datapackage.json', expectations: 'exp.yaml', 'fail-on': 'never' });
    expect(errors(result.log)).toEqual([
      'error: exp.yaml:3: resource people: row count 3 is not >= 5',
      'error: exp.yaml:5: resource people: column age: null fraction 0.3333 is above 0.1',
      'error: exp.yaml:8: resource towns: column population: mean 1300 is not <= 1000',
      'error: exp.yaml:9: resource towns: column area is not in the data (columns: town, population)',
      'error: exp.yaml:10: resource roads is not in the Data Package (resources: people, towns)',
    ]);
  });

  it('refuse rules at the top, which would not say which table they mean; and resources without a package', async () => {
    const dir = workspace({
      ...files,
      'exp.yaml': 'rows: { min: 1 }\n',
      'data.csv': 'a\n1\n',
      'pkgexp.yaml': 'resources:\n  x: { rows: { min: 1 } }\n',
    });
    const top = await runValidateData(dir, { data: 'pkg/datapackage.json', expectations: 'exp.yaml' });
    expect(top.ok).toBe(false);
    expect(top.log.join('\n')).toMatch(
      /exp\.yaml has rows at its top, but the data is a Data Package \(pkg\/datapackage\.json\); put each resource's rules under resources: <name>:/,
    );
    const plain = await runValidateData(dir, { data: 'data.csv', expectations: 'pkgexp.yaml' });
    expect(plain.ok).toBe(false);
    expect(plain.log.join('\n')).toMatch(/pkgexp\.yaml has resources, which apply to a Data Package/);
  });
});

describe('infer-schema with a Data Package', () => {
  it('writes a schema for each tabular resource without one, into the folder it names', async () => {
    const dir = workspace(files);
    const result = await runValidateData(dir, { data: 'pkg/datapackage.json', 'infer-schema': 'inferred' });
    expect(result.ok).toBe(true);
    expect(existsSync(join(dir, 'inferred', 'people.schema.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'inferred', 'towns.schema.yaml'), 'utf8')).toMatch(
      /name: town\n\s+type: string[\s\S]*name: population\n\s+type: integer/,
    );
    expect(result.log.join('\n')).toMatch(/people has its own schema in pkg\/datapackage\.json; none is inferred for it/);
    expect(result.log.join('\n')).toMatch(/Inferred Table Schema of resource towns written to inferred\/towns\.schema\.yaml/);
    // The file is kept on a second run unless overwrite-schema says otherwise.
    const again = await runValidateData(dir, { data: 'pkg/datapackage.json', 'infer-schema': 'inferred' });
    expect(again.ok).toBe(false);
    expect(again.log.join('\n')).toMatch(/inferred\/towns\.schema\.yaml already exists and is kept/);
  });

  it('refuses when every resource has a schema, saying there is none to infer', async () => {
    const only = JSON.stringify({ resources: [JSON.parse(descriptor).resources[0]] });
    const dir = workspace({ ...files, 'pkg/datapackage.json': only });
    const result = await runValidateData(dir, { data: 'pkg/datapackage.json', 'infer-schema': 'inferred' });
    expect(result.ok).toBe(false);
    expect(result.log.join('\n')).toMatch(
      /Input 'infer-schema': every tabular resource of pkg\/datapackage\.json has its own schema \(people\); there is none to infer/,
    );
  });
});
