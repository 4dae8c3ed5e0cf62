// Real predictions from the example projects: trains them in a temporary copy and returns the folder
// holding predictions.csv. Used by the scikit-learn agreement test and the evaluate e2e tests.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(new URL('../../..', import.meta.url).pathname);
export const PYTHON = '/usr/bin/python3';

/** Trains workflows-examples/penguins-node with MLOPS_PARAMS `params` in a fresh copy; returns that folder (~0.2 s). */
export function trainPenguins(params: Record<string, number> = {}, into?: string): string {
  const dir = into ?? mkdtempSync(join(tmpdir(), 'penguins-'));
  cpSync(join(repoRoot, 'workflows-examples', 'penguins-node'), dir, {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, ['train.mjs'], {
    cwd: dir,
    env: { ...process.env, MLOPS_PARAMS: JSON.stringify(params) },
    stdio: 'pipe',
    timeout: 60_000,
  });
  return dir;
}

/** Trains workflows-examples/digits-torch with Debian's PyTorch in a fresh copy; returns that folder (~2 s). */
export function trainDigits(params: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'digits-'));
  cpSync(join(repoRoot, 'workflows-examples', 'digits-torch'), dir, { recursive: true });
  execFileSync(PYTHON, ['train.py'], {
    cwd: dir,
    env: { ...process.env, MLOPS_PARAMS: JSON.stringify(params) },
    stdio: 'pipe',
    timeout: 240_000,
  });
  return dir;
}
