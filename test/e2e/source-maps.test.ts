// A bug in a stage must print a stack that names our TypeScript files and lines, though the stage
// runs from the one minified build in dist/: the bug path maps the stack through the maps beside the chunks.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-dirs.js';
import { node24, repoRoot } from './runner.js';

/** The 1-based line of the only line of `file` (under the repository) that contains `text`. */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  expect({ file, text, matches: found.length }).toEqual({ file, text, matches: 1 });
  return found[0]!;
}

describe('stack traces from the build', () => {
  it('name the TypeScript file and line when a stage hits a bug', () => {
    const workspace = tempDir('e2e-source-maps-');
    writeFileSync(join(workspace, 'data.csv'), 'a,b\n1,2\n');
    // The runner's output file is a directory: writing the first output fails with EISDIR inside
    // the runtime's workflow commands, an error no stage expects, so runStage reports it as a bug with its stack.
    mkdirSync(join(workspace, 'output-is-a-folder'));
    writeFileSync(join(workspace, 'summary'), '');
    const run = spawnSync(node24(), [join(repoRoot, 'dist', 'validate-data.js')], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: join(workspace, 'output-is-a-folder'),
        GITHUB_STEP_SUMMARY: join(workspace, 'summary'),
        MLOPS_STATE_DIR: join(workspace, '.mlops'),
        INPUT_DATA: 'data.csv',
      },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('validate-data hit an unexpected error (a bug in mlops-actions; please report it)');
    expect(run.stdout).toContain(`shared/runtime/github.ts:${lineOf('shared/runtime/github.ts', 'runner.setOutput(name, value);')}:`);
    expect(run.stdout).toContain(`shared/stage.ts:${lineOf('shared/stage.ts', 'runtime.setOutput(name, String(value));')}:`);
    expect(run.stdout).not.toMatch(/dist\/\d+\.index\.js:\d+/);
  });
});
