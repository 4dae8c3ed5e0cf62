// The CLI installed into another project as a user installs it: `npm pack` of this repository, then
// `npm install <tarball>` into an empty project, offline. The bundle in dist/ is self-contained, so the
// package has no runtime dependencies and the project gets our package and nothing else.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../temp-dirs.js';

const root = join(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  scripts: Record<string, string>;
};

interface Packed {
  filename: string;
  size: number;
  files: { path: string }[];
}

let packed: Packed;
let project: string;
let installLog: string;

beforeAll(() => {
  const out = tempDir('mlops-pack-');
  // The package is `private` (never published to the registry), which npm pack allows.
  [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8' })) as Packed[];
  // Outside the repository (a temp dir), so that no parent node_modules can resolve anything.
  project = tempDir('mlops-consumer-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', join(out, packed!.filename)], {
    cwd: project,
    encoding: 'utf8',
  });
  installLog = install.stdout + install.stderr;
  expect({ status: install.status, log: installLog }).toEqual({ status: 0, log: expect.any(String) });
}, 120_000);

function mlops(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(join(project, 'node_modules', '.bin', 'mlops'), args, {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

const outputs = (stdout: string) =>
  Object.fromEntries(stdout.split('\n').flatMap((l) => (/^[\w-]+=/.test(l) ? [l.split(/=(.*)/s, 2)] : [])));

describe('the packed CLI (npm pack, installed into an empty project)', () => {
  it('declares no runtime dependencies and no install or prepare script', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    // A git install (npm install github:owner/repo#ref) would otherwise install our devDependencies to run them.
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?(install|prepare|pack)$|^prepack$|^postpack$/.test(s))).toEqual([]);
  });

  it('packs the build, the editor schemas, README and LICENSE: nothing else, under 3 MB', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/mlops.js', 'dist/index.js']));
    expect(paths.filter((p) => !/^(dist\/|shared\/schemas\/json\/[\w.-]+\.json$|package\.json$|README\.md$|LICENSE$)/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts'))).toEqual([]);
    expect(packed.size).toBeLessThan(3e6);
  });

  it('installs our package and nothing else into the project', () => {
    const modules = readdirSync(join(project, 'node_modules')).filter((e) => e !== '.bin' && e !== '.package-lock.json');
    expect(modules).toEqual([pkg.name]);
    expect(readdirSync(join(project, 'node_modules', '.bin'))).toEqual(['mlops']);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).sort()).toEqual(['', `node_modules/${pkg.name}`]);
  });

  it('runs `mlops --help` from node_modules/.bin', () => {
    const help = mlops(['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^mlops: run the ML loop locally/);
    expect(help.stdout).toContain('validate-data');
  });

  it('runs a real validate-data on a tiny CSV, finding the one bad row', () => {
    writeFileSync(join(project, 'tiny.csv'), 'id,size,kind\n1,2.5,a\n2,3.5,b\n3,oops,a\n');
    writeFileSync(
      join(project, 'schema.yaml'),
      'fields:\n  - {name: id, type: integer}\n  - {name: size, type: number}\n  - {name: kind, type: string, constraints: {enum: [a, b]}}\n',
    );
    const run = mlops(['validate-data', '--output', 'lines', '--data', 'tiny.csv', '--schema', 'schema.yaml']);
    expect(run.status).toBe(1);
    const out = outputs(run.stdout);
    expect({ valid: out.valid, rows: out.rows, errors: out['error-count'] }).toEqual({ valid: 'false', rows: '3', errors: '1' });
    expect(run.stderr).toContain('tiny.csv:4');
  });

  it('profiles a large file on worker threads started from the installed bundle', () => {
    const rows = Array.from({ length: 700_000 }, (_, i) => `${i},${(i % 997) / 7},${i % 2 ? 'a' : 'b'}`);
    writeFileSync(join(project, 'large.csv'), `id,size,kind\n${rows.join('\n')}\n`); // about 17 MB: over the 16 MiB split size
    const run = mlops(['validate-data', '--output', 'lines', '--data', 'large.csv', '--schema', 'schema.yaml'], { MLOPS_THREADS: '2' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('2 threads') });
    expect(outputs(run.stdout)).toMatchObject({ valid: 'true', rows: '700000', 'error-count': '0' });
  });
});
