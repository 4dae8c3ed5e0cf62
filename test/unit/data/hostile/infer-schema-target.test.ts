// Hostile input: infer-schema never writes outside the working directory, nor over a file the run reads.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runValidateData, tempDir, workspaceWith, type StageRun } from '../profile-run.js';

const csv = 'x,y\n1,a\n2,b\n';

function expectRefused(run: StageRun, pattern: RegExp): void {
  expect(run.ok).toBe(false);
  const text = run.log.join('\n');
  expect(text).toMatch(pattern);
  expect(text).not.toMatch(/bug in mlops-actions/);
  expect(run.outputs.profile).toBeUndefined();
}

describe('infer-schema target', () => {
  it('refuses ../x.yaml and writes nothing', async () => {
    const parent = tempDir();
    const dir = join(parent, 'work');
    mkdirSync(dir);
    writeFileSync(join(dir, 'data.csv'), csv);
    expectRefused(await runValidateData(dir, { data: 'data.csv', 'infer-schema': '../x.yaml' }), /outside the working directory/);
    expect(existsSync(join(parent, 'x.yaml'))).toBe(false);
  });

  it('refuses an absolute path outside', async () => {
    const dir = workspaceWith({ 'data.csv': csv });
    const outside = join(tempDir(), 'schema.yaml');
    expectRefused(await runValidateData(dir, { data: 'data.csv', 'infer-schema': outside }), /outside the working directory/);
    expect(existsSync(outside)).toBe(false);
  });

  it('refuses a path through a symlink that leaves the working directory', async () => {
    const dir = workspaceWith({ 'data.csv': csv });
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(dir, 'link'));
    expectRefused(await runValidateData(dir, { data: 'data.csv', 'infer-schema': 'link/schema.yaml' }), /outside the working directory/);
    expect(existsSync(join(elsewhere, 'schema.yaml'))).toBe(false);
  });

  it('refuses the data file itself, even with overwrite-schema', async () => {
    const dir = workspaceWith({ 'data.csv': csv });
    const run = await runValidateData(dir, { data: 'data.csv', 'infer-schema': './data.csv', 'overwrite-schema': 'true' });
    expectRefused(run, /a file this run reads/);
    expect(readFileSync(join(dir, 'data.csv'), 'utf8')).toBe(csv);
  });

  it('still writes inside the working directory', async () => {
    const dir = workspaceWith({ 'data.csv': csv });
    const run = await runValidateData(dir, { data: 'data.csv', 'infer-schema': 'schema.yaml' });
    expect(run.ok).toBe(true);
    expect(readFileSync(join(dir, 'schema.yaml'), 'utf8')).toMatch(/fields/);
  });
});
