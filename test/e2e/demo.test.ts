import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-dirs.js';
import { node24, repoRoot } from './runner.js';

// The README's main-job command, on a copy of what it uses (so the repository's example stays clean).
function runDemo(root: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', [join(root, 'scripts', 'demo.sh')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(node24(), '..')}:${process.env.PATH ?? ''}` },
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run demo (scripts/demo.sh)', () => {
  it('runs validate-data, train and evaluate on the committed example, then hits the train cache', () => {
    const root = tempDir('mlops-demo-');
    for (const path of ['scripts', 'dist', join('workflows-examples', 'penguins-node')]) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      cpSync(join(repoRoot, path), join(root, path), {
        recursive: true,
        filter: (source) => !/[/\\](model|\.mlops)$|[/\\](metrics\.json)$|penguins-node[/\\]predictions\.csv$/.test(source),
      });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));

    const first = runDemo(root);
    expect({ status: first.status, stderr: first.stderr.split('\n').filter((l) => l.startsWith('error')) }).toEqual({
      status: 0,
      stderr: [],
    });
    expect(first.stdout).toMatch(/^valid=true$/m);
    expect(first.stdout).toMatch(/^cache-hit=false$/m);
    expect(first.stdout).toMatch(/^verdict=pass$/m);

    const second = runDemo(root);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^cache-hit=true$/m);
    expect(second.stdout).not.toMatch(/^mlops-metric /m);
  });
});
