// Data Packages through validate-data (data-package.mdx, data-resource.mdx, security.mdx, table-schema.mdx's
// foreignKeys): each test cites the sentence it checks.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileJSON } from '../../../../shared/data/profile.js';
import { repoRoot } from '../../../e2e/runner.js';
import { runValidateData, tempDir } from '../profile-run.js';

/** A workspace holding `files` under pkg/ (and anything else named with a path). */
function workspace(files: Record<string, string | object>): string {
  const dir = tempDir('vd-pkg-');
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const run = (dir: string, extra: Record<string, string> = {}) =>
  runValidateData(dir, { data: 'pkg/datapackage.json', 'fail-on': 'never', ...extra });
const errors = (log: string[]) => log.filter((l) => l.startsWith('error:'));

describe('the fixture package (test/fixtures/data-package)', () => {
  it('validates each resource with its own schema, refuses the tampered and the outside one by name', async () => {
    const dir = tempDir('vd-pkg-');
    cpSync(join(repoRoot, 'test', 'fixtures', 'data-package'), join(dir, 'pkg'), { recursive: true });
    const result = await run(dir);
    expect(errors(result.log)).toEqual([
      expect.stringMatching(
        /^error: pkg\/datapackage\.json:\d+: resource tampered was not read: its hash is sha256:0{64} but the file has sha256:[0-9a-f]{64}/,
      ),
      expect.stringMatching(/^error: pkg\/datapackage\.json:\d+: resource outside was not read: "\.\.\/outside\.csv" goes up with "\.\."/),
      'error: pkg/population.csv:4: foreign key (state) = (XX) has no match in resource states (code)',
    ]);
    expect(result.outputs['error-count']).toBe('3');
    // "the summary has a line per resource; rows and error-count are totals"
    expect(result.outputs.rows).toBe('7');
    const profile = result.profile as ProfileJSON;
    expect(profile.resources!.map((r) => [r.name, r.rows])).toEqual([
      ['states', 3],
      ['population', 4],
    ]);
    expect(profile.columns).toEqual([]);
  });
});

describe('resources', () => {
  it('"a `path` array is one table": one header in the first file, each file keeping its own line numbers', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        resources: [{ name: 'parts', path: ['a.csv', 'b.csv'], schema: { fields: [{ name: 'id', type: 'integer' }, { name: 'x' }] } }],
      },
      'pkg/a.csv': 'id,x\n1,a\n2,b\n',
      'pkg/b.csv': '3,c\nfour,d\n',
    });
    const result = await run(dir);
    expect(result.outputs.rows).toBe('4');
    expect(errors(result.log)).toEqual(['error: pkg/b.csv:2: column id: "four" breaks type: expected an integer']);
  });

  it('"data: for data inline in the descriptor itself": arrays (header first) and objects, annotated at the row\'s line', async () => {
    const descriptor = `{
  "resources": [
    {
      "name": "inline-arrays",
      "data": [
        ["id", "name"],
        [1, "a"],
        ["two", "b"]
      ],
      "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}
    },
    {
      "name": "inline-objects",
      "data": [{"id": 1}, {"id": -5}],
      "schema": {"fields": [{"name": "id", "type": "integer", "constraints": {"minimum": 0}}]}
    }
  ]
}
`;
    const result = await run(workspace({ 'pkg/datapackage.json': descriptor }));
    expect(errors(result.log)).toEqual([
      'error: pkg/datapackage.json:8: column id: "two" breaks type: expected an integer',
      // Both objects are on line 14: the message names the row.
      'error: pkg/datapackage.json:14: row 2 of the inline data: column id: "-5" breaks minimum: expected >= 0',
    ]);
    expect(result.outputs.rows).toBe('4');
  });

  it('each resource has its own dialect, inline or a path relative to the descriptor', async () => {
    const dir = workspace({
      'pkg/datapackage.yaml': [
        'resources:',
        '  - {name: semi, path: semi.csv, dialect: {delimiter: ";"}, schema: {fields: [{name: a, type: integer}, {name: b}]}}',
        '  - {name: pipe, path: pipe.csv, dialect: pipe.dialect.json, schema: {fields: [{name: a, type: integer}, {name: b}]}}',
        '',
      ].join('\n'),
      'pkg/semi.csv': 'a;b\n1;x\n',
      'pkg/pipe.csv': 'a|b\n2|y\n',
      'pkg/pipe.dialect.json': '{"delimiter": "|"}',
    });
    const result = await runValidateData(dir, { data: 'pkg/datapackage.yaml' });
    expect(errors(result.log)).toEqual([]);
    expect(result.profile!.resources!.map((r) => r.columns.map((c) => c.name))).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('"The MD5 hash ... Other algorithms can be indicated by prefixing": md5, sha1:, sha256:, sha512: and bytes are checked', async () => {
    const content = 'a\n1\n';
    const hex = (algorithm: string) => createHash(algorithm).update(content).digest('hex');
    const resources = [
      { name: 'md5', path: 'd.csv', hash: hex('md5'), bytes: 4 },
      { name: 'sha1', path: 'd.csv', hash: `sha1:${hex('sha1')}` },
      { name: 'sha512', path: 'd.csv', hash: `sha512:${hex('sha512')}` },
      { name: 'wrong-size', path: 'd.csv', bytes: 5 },
    ];
    const result = await run(workspace({ 'pkg/datapackage.json': { resources }, 'pkg/d.csv': content }));
    expect(errors(result.log)).toEqual([expect.stringContaining('resource wrong-size was not read: its bytes is 5 but the file holds 4')]);
    expect(result.profile!.resources!.map((r) => r.name)).toEqual(['md5', 'sha1', 'sha512']);
  });
});

describe('encoding', () => {
  it('"The character encoding of resource\'s data file": one validate-data cannot read refuses the resource instead of misreading it', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        resources: [
          { name: 'latin', path: 'latin.csv', encoding: 'ISO-8859-1' },
          { name: 'plain', path: 'plain.csv', encoding: 'utf-8' },
        ],
      },
      'pkg/latin.csv': 'a\n1\n',
      'pkg/plain.csv': 'a\n1\n',
    });
    const result = await run(dir);
    expect(errors(result.log)).toEqual([
      expect.stringContaining('resource latin was not read: its encoding is "ISO-8859-1"; validate-data reads UTF-8 text only'),
    ]);
    expect(result.profile!.resources!.map((r) => r.name)).toEqual(['plain']);
  });
});

describe('security.mdx', () => {
  it('refuses URLs ("download it in an earlier step"), absolute paths and symlinks leaving the folder, by resource', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        resources: [
          { name: 'remote', path: 'https://example.com/data.csv' },
          { name: 'absolute', path: '/etc/passwd', format: 'csv' },
          { name: 'linked', path: 'linked.csv' },
          { name: 'fine', path: 'fine.csv' },
        ],
      },
      'secret.csv': 'a\n1\n',
      'pkg/fine.csv': 'a\n1\n',
    });
    symlinkSync(join(dir, 'secret.csv'), join(dir, 'pkg', 'linked.csv'));
    const result = await run(dir);
    const found = errors(result.log).join('\n');
    expect(found).toContain('resource remote was not read: "https://example.com/data.csv" is a URL');
    expect(found).toContain('Download it in an earlier step');
    expect(found).toContain('resource absolute was not read: "/etc/passwd" is an absolute path');
    expect(found).toContain('resource linked was not read: "linked.csv" leads outside the descriptor\'s folder through a symbolic link');
    expect(result.outputs['error-count']).toBe('3');
    expect(result.profile!.resources!.map((r) => r.name)).toEqual(['fine']);
  });
});

describe('foreign keys (table-schema.mdx)', () => {
  it('self-reference with the v1 forms: "fields": "a" and "resource": "" (read "as an omited property"); nulls are not checked', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        profile: 'tabular-data-package',
        resources: [
          {
            name: 'employees',
            profile: 'tabular-data-resource',
            path: 'employees.csv',
            schema: {
              fields: [
                { name: 'id', type: 'integer' },
                { name: 'manager', type: 'integer' },
              ],
              foreignKeys: [{ fields: 'manager', reference: { resource: '', fields: 'id' } }],
            },
          },
        ],
      },
      'pkg/employees.csv': 'id,manager\n1,\n2,1\n3,2.0\n4,9\n',
    });
    const result = await run(dir);
    // 2.0 is not an integer (a type error, not a key); 9 has no row.
    expect(errors(result.log)).toEqual([
      'error: pkg/employees.csv:4: column manager: "2.0" breaks type: expected an integer',
      'error: pkg/employees.csv:5: foreign key (manager) = (9) has no match in this table (id)',
    ]);
  });

  it('compares logical values: 1, 1.0 and 1e0 are one number in number fields, across resources; composite keys too', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        resources: [
          {
            name: 'readings',
            path: 'readings.csv',
            schema: {
              fields: [{ name: 'site' }, { name: 'level', type: 'number' }],
              foreignKeys: [{ fields: ['site', 'level'], reference: { resource: 'levels', fields: ['site', 'level'] } }],
            },
          },
          { name: 'levels', path: 'levels.csv', schema: { fields: [{ name: 'site' }, { name: 'level', type: 'number' }] } },
        ],
      },
      'pkg/readings.csv': 'site,level\na,1.0\na,1e0\nb,2\nb,3\n',
      'pkg/levels.csv': 'site,level\na,1\nb,2.00\n',
    });
    const result = await run(dir);
    expect(errors(result.log)).toEqual([
      'error: pkg/readings.csv:5: foreign key (site, level) = (b, 3) has no match in resource levels (site, level)',
    ]);
  });

  it('a key into a refused resource is not silently passed: it is reported as not checked', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        resources: [
          { name: 'codes', path: 'codes.csv', bytes: 1, schema: { fields: [{ name: 'code' }] } },
          {
            name: 'uses',
            path: 'uses.csv',
            schema: { fields: [{ name: 'code' }], foreignKeys: [{ fields: ['code'], reference: { resource: 'codes', fields: ['code'] } }] },
          },
        ],
      },
      'pkg/codes.csv': 'code\nA\n',
      'pkg/uses.csv': 'code\nA\n',
    });
    const result = await run(dir);
    expect(errors(result.log)[1]).toMatch(/resource uses: foreign key \(code\) not checked: resource codes was not read/);
  });

  it('a foreign key naming a resource that is not in the package fails the step at the descriptor line', async () => {
    const dir = workspace({
      'pkg/datapackage.json': {
        resources: [
          {
            name: 'a',
            path: 'a.csv',
            schema: { fields: [{ name: 'x' }], foreignKeys: [{ fields: ['x'], reference: { resource: 'nope', fields: ['x'] } }] },
          },
        ],
      },
      'pkg/a.csv': 'x\n1\n',
    });
    const result = await run(dir);
    expect(result.ok).toBe(false);
    expect(result.log.join('\n')).toMatch(
      /pkg\/datapackage\.json:\d+: \/resources\/0\/schema\/foreignKeys\/0\/reference\/resource is "nope"; expected the name of a resource of this package/,
    );
  });
});

describe('a bad descriptor', () => {
  it('is checked against the official profile: an error at the descriptor line naming the property, the value and what was expected', async () => {
    const descriptor = '{\n  "resources": [\n    {\n      "name": "a",\n      "path": "a.csv",\n      "bytes": "12"\n    }\n  ]\n}\n';
    const result = await run(workspace({ 'pkg/datapackage.json': descriptor, 'pkg/a.csv': 'x\n1\n' }));
    expect(result.ok).toBe(false);
    expect(result.log).toContain('error: pkg/datapackage.json:6: /resources/0/bytes is "12"; expected an integer');
  });

  it('an inline schema breaking the Table Schema rules points into the package descriptor', async () => {
    const descriptor =
      '{\n  "resources": [\n    {\n      "name": "a",\n      "path": "a.csv",\n      "schema": {"fields": [{"name": "x", "type": "integr"}]}\n    }\n  ]\n}\n';
    const result = await run(workspace({ 'pkg/datapackage.json': descriptor, 'pkg/a.csv': 'x\n1\n' }));
    expect(result.ok).toBe(false);
    expect(result.log.join('\n')).toMatch(/pkg\/datapackage\.json:6: \/resources\/0\/schema\/fields\/0\/type is "integr"; expected one of/);
  });

  it('"It MUST be unique amongst all resources in this data package"', async () => {
    const result = await run(
      workspace({
        'pkg/datapackage.json': {
          resources: [
            { name: 'a', path: 'a.csv' },
            { name: 'a', path: 'a.csv' },
          ],
        },
        'pkg/a.csv': 'x\n1\n',
      }),
    );
    expect(result.log.join('\n')).toContain('/resources/1/name is "a", the same as /resources/0/name');
  });
});

describe('drift against a reference', () => {
  it('is measured per resource by name', async () => {
    const rows = (shift: number) => `v\n${Array.from({ length: 2000 }, (_, i) => (i % 100) + shift).join('\n')}\n`;
    const files = (shift: number) => ({
      'pkg/datapackage.json': {
        resources: [
          { name: 'steady', path: 'steady.csv', schema: { fields: [{ name: 'v', type: 'integer' }] } },
          { name: 'moving', path: 'moving.csv', schema: { fields: [{ name: 'v', type: 'integer' }] } },
        ],
      },
      'pkg/steady.csv': rows(0),
      'pkg/moving.csv': rows(shift),
    });
    const first = await run(workspace(files(0)));
    const dir = workspace(files(60));
    writeFileSync(join(dir, 'reference.json'), JSON.stringify(first.profile));
    const second = await run(dir, { reference: 'reference.json' });
    expect(JSON.parse(second.outputs['drifted-columns']!)).toEqual(['moving/v']);
  });
});
