import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stages } from '../../../shared/stages.js';

const root = join(import.meta.dirname, '..', '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** What git has committed (or staged) under a path: file → mode (100644, 100755). */
function committed(path: string): Map<string, string> {
  const lines = execFileSync('git', ['ls-files', '--stage', '--', path], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  return new Map(lines.map((line) => [line.slice(line.indexOf('\t') + 1), line.split(' ')[0]!]));
}

describe('the committed build (dist/)', () => {
  it('equals a fresh build of the sources: every file, nothing extra, nothing missing, executables executable', () => {
    const out = mkdtempSync(join(tmpdir(), 'mlops-dist-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'build.js'), '--out', out], { cwd: root, stdio: 'pipe' });
    const fresh = filesUnder(join(out, 'dist'));
    expect(fresh).toEqual(expect.arrayContaining(['index.js', 'mlops.js', 'loop.js', ...stages.map(({ spec }) => `${spec.name}.js`)]));
    expect(filesUnder(join(root, 'dist'))).toEqual(fresh);
    const inGit = committed('dist');
    expect([...inGit.keys()].sort()).toEqual(fresh.map((f) => `dist/${f}`));
    for (const file of fresh) {
      const same = readFileSync(join(out, 'dist', file)).equals(readFileSync(join(root, 'dist', file)));
      expect({ file, same }).toEqual({ file, same: true });
      // npm ci leaves the clone clean only when git's mode is the one the build writes.
      const executable = (statSync(join(out, 'dist', file)).mode & 0o111) !== 0;
      expect({ file, mode: inGit.get(`dist/${file}`) }).toEqual({ file, mode: executable ? '100755' : '100644' });
    }
  }, 600_000);

  it('is the only generated code: no per-action bundles, no bin/ copy', () => {
    expect([...committed('actions').keys()].filter((f) => /\/dist\//.test(f))).toEqual([]);
    expect(existsSync(join(root, 'bin'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ mlops: 'dist/mlops.js' });
  });

  it('holds nothing that never loads: only JavaScript, its source maps, package.json and the licenses', () => {
    const other = filesUnder(join(root, 'dist')).filter(
      (f) => !/^[\w-]+(\.index)?\.js(\.map)?$/.test(f) && f !== 'package.json' && f !== 'licenses.txt',
    );
    expect(other).toEqual([]);
  });
});
