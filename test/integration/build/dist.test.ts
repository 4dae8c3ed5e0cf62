import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('committed bundles', () => {
  it('equal a fresh build of the sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'mlops-dist-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'build.js'), '--out', out], { cwd: root, stdio: 'pipe' });
    const built = readdirSync(join(out, 'actions'));
    expect(built.length).toBeGreaterThan(0);
    for (const folder of [...built.map((a) => join('actions', a, 'dist')), join('bin', 'mlops')]) {
      const fresh = filesUnder(join(out, folder));
      expect({ folder, files: filesUnder(join(root, folder)) }).toEqual({ folder, files: fresh });
      for (const file of fresh) {
        const same = readFileSync(join(out, folder, file)).equals(readFileSync(join(root, folder, file)));
        expect({ file: join(folder, file), same }).toEqual({ file: join(folder, file), same: true });
      }
    }
  }, 600_000);
});
