// The local stand-ins for upload-artifact, download-artifact and cache: paths as upload-artifact reads
// them (root = the patterns' common folder, `!` excludes, hidden files only when asked), and the state
// folder's own service folders never uploaded.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownAction } from '../../../shared/workflow/known-actions.js';
import { tempDir } from '../../temp-dirs.js';

function workspaceWithFiles(): string {
  const workspace = tempDir('known-actions-');
  for (const [path, text] of Object.entries({
    'model/model.onnx': 'onnx',
    'model/labels.json': '[]',
    'metrics.json': '{}',
    'node_modules/x/index.js': 'x',
    '.mlops/runs/r1/train/manifest.json': '{}',
    '.mlops/cache/entry/files.json': '[]',
    '.mlops/artifacts/old/a.txt': 'old',
  })) {
    mkdirSync(join(workspace, path, '..'), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  return workspace;
}

const run = (uses: string, workspace: string, inputs: Record<string, string>) =>
  knownAction(uses)!({ workspace, stateDir: join(workspace, '.mlops'), with: inputs, env: { PATH: process.env.PATH ?? '' } });

describe('known actions', () => {
  it('upload-artifact of a folder stores its files without the folder, as upload-artifact does; download puts them back', async () => {
    const workspace = workspaceWithFiles();
    const up = await run('actions/upload-artifact@v4', workspace, { name: 'model', path: 'model' });
    expect(up.failed).toBeUndefined();
    expect(readdirSync(join(workspace, '.mlops', 'artifacts', 'model')).sort()).toEqual(['labels.json', 'model.onnx']);
    const down = await run('actions/download-artifact@v4', workspace, { name: 'model', path: 'got' });
    expect(down.outputs['download-path']).toBe(join(workspace, 'got'));
    expect(readFileSync(join(workspace, 'got', 'model.onnx'), 'utf8')).toBe('onnx');
  });

  it('upload-artifact of `.` with excludes and hidden files keeps the state folder but not its artifacts, caches and runs', async () => {
    const workspace = workspaceWithFiles();
    await run('actions/upload-artifact@v4', workspace, { name: 'all', path: '.\n!**/node_modules/', 'include-hidden-files': 'true' });
    const stored = join(workspace, '.mlops', 'artifacts', 'all');
    expect(existsSync(join(stored, '.mlops', 'runs', 'r1', 'train', 'manifest.json'))).toBe(true);
    expect(existsSync(join(stored, 'model', 'model.onnx'))).toBe(true);
    expect(existsSync(join(stored, 'node_modules'))).toBe(false);
    expect(existsSync(join(stored, '.mlops', 'cache'))).toBe(false);
    expect(existsSync(join(stored, '.mlops', 'artifacts'))).toBe(false);
    // Without include-hidden-files, .mlops is left out, as upload-artifact v4 leaves it out.
    await run('actions/upload-artifact@v4', workspace, { name: 'visible', path: '.' });
    expect(existsSync(join(workspace, '.mlops', 'artifacts', 'visible', '.mlops'))).toBe(false);
    expect(existsSync(join(workspace, '.mlops', 'artifacts', 'visible', 'metrics.json'))).toBe(true);
  });

  it('download-artifact without a name: the artifacts `pattern` matches, each in its own folder, or merged with merge-multiple', async () => {
    const workspace = workspaceWithFiles();
    for (const name of ['model-lr-0.1', 'model-lr-0.5', 'report']) {
      writeFileSync(join(workspace, 'metrics.json'), JSON.stringify({ name }));
      await run('actions/upload-artifact@v4', workspace, { name, path: 'metrics.json' });
    }
    const each = await run('actions/download-artifact@v4', workspace, { pattern: 'model-lr-*', path: 'runs' });
    expect(each.failed).toBeUndefined();
    expect(readdirSync(join(workspace, 'runs')).sort()).toEqual(['model-lr-0.1', 'model-lr-0.5']);
    expect(JSON.parse(readFileSync(join(workspace, 'runs', 'model-lr-0.5', 'metrics.json'), 'utf8'))).toEqual({ name: 'model-lr-0.5' });
    const merged = await run('actions/download-artifact@v4', workspace, { pattern: 'rep*', path: 'merged', 'merge-multiple': 'true' });
    expect(merged.notes).toEqual(['report copied to merged (merged)']);
    expect(readdirSync(join(workspace, 'merged'))).toEqual(['metrics.json']);
    const none = await run('actions/download-artifact@v4', workspace, { pattern: 'nothing-*' });
    expect([none.failed, none.notes]).toEqual([true, ['error: no artifact matches nothing-* in .mlops/artifacts']]);
  });

  it('fails when asked to: no file matched with if-no-files-found: error, an artifact that was never uploaded', async () => {
    const workspace = workspaceWithFiles();
    expect(
      (await run('actions/upload-artifact@v4', workspace, { name: 'x', path: '*.parquet', 'if-no-files-found': 'error' })).failed,
    ).toBe(true);
    const warned = await run('actions/upload-artifact@v4', workspace, { name: 'x', path: '*.parquet' });
    expect([warned.failed, warned.notes]).toEqual([false, ['warning: no files match *.parquet']]);
    expect((await run('actions/download-artifact@v4', workspace, { name: 'never' })).failed).toBe(true);
  });

  it('cache: a miss, then the save after a successful job, then an exact hit', async () => {
    const workspace = workspaceWithFiles();
    const inputs = { path: 'model', key: 'model-abc', 'restore-keys': 'model-' };
    const miss = await run('actions/cache@v4', workspace, inputs);
    expect(miss.outputs['cache-hit']).toBe('false');
    expect(await miss.post!(true)).toMatch(/^saved model-abc in \.mlops\/cache$/);
    const hit = await run('actions/cache@v4', workspace, inputs);
    expect(hit.outputs).toMatchObject({ 'cache-hit': 'true', 'cache-matched-key': 'model-abc' });
    expect(await hit.post!(true)).toBe('not saved (exact hit)');
    expect(knownAction('octo-org/anything@v1')).toBeUndefined();
  });
});
