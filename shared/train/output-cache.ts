import { copyFile, mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Runtime } from '../runtime/port.js';
import type { TrainManifest } from './manifest.js';
import type { FlatMetrics } from './metrics.js';
import { linkOrCopy } from './output-files.js';

/** What a cache entry holds besides the files: enough to answer a later run without running the command. */
export interface CachedRun {
  version: 1;
  fingerprint: string;
  /** The outputs, relative to the working directory; stored as files/<index>. */
  files: string[];
  modelPath: string;
  metricsFile: string | null;
  metrics: FlatMetrics;
  curve: { step: number; values: FlatMetrics }[];
  manifest: TrainManifest;
}

/**
 * The folder a cache entry is staged in. Its path is the same in every run with this fingerprint
 * (the Actions cache ties an entry to its paths), inside the workspace (the local cache only takes
 * paths there), and under `.mlops` so no fingerprint or snapshot ever includes it.
 */
export function cacheStagingDir(runtime: Pick<Runtime, 'workspace' | 'stateDir'>, fingerprintHex: string): string {
  const inside = relative(runtime.workspace, runtime.stateDir);
  const base = inside.startsWith('..') || isAbsolute(inside) ? join(runtime.workspace, '.mlops') : runtime.stateDir;
  return join(base, 'train-cache', fingerprintHex);
}

/** Removes a staging folder, and the folders above it that it leaves empty (rmdir keeps anything non-empty). */
async function removeStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
  const parent = dirname(staging);
  await rmdir(parent)
    .then(
      () => rmdir(dirname(parent)),
      () => undefined,
    )
    .catch(() => undefined);
}

async function moveFile(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { recursive: true, force: true });
  try {
    await rename(source, target);
  } catch {
    await copyFile(source, target);
  }
}

/**
 * Saves the outputs of a successful run (files relative to cwd) under `key`. Returns whether the
 * cache took them; like every cache operation, failures only warn.
 */
export async function saveTrainOutputs(
  runtime: Runtime,
  options: { cwd: string; key: string; staging: string; record: CachedRun },
): Promise<boolean> {
  const { cwd, key, staging, record } = options;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [index, path] of record.files.entries()) await linkOrCopy(join(cwd, path), join(staging, 'files', String(index)));
    await writeFile(join(staging, 'record.json'), JSON.stringify(record));
    return await runtime.saveCache([staging], key);
  } catch (error) {
    runtime.warning(`Could not stage the outputs for the cache, continuing without saving them: ${(error as Error).message}`);
    return false;
  } finally {
    await removeStaging(staging);
  }
}

/**
 * Restores the outputs saved under `key` into cwd: the model path is replaced as a whole (no stale
 * file of an earlier model survives), every other output file is put back. Returns the cached run,
 * or undefined on a miss or an unusable entry (then nothing in cwd has changed).
 */
export async function restoreTrainOutputs(
  runtime: Runtime,
  options: { cwd: string; key: string; staging: string },
): Promise<CachedRun | undefined> {
  const { cwd, key, staging } = options;
  await rm(staging, { recursive: true, force: true });
  try {
    const matched = await runtime.restoreCache([staging], key);
    if (matched !== key) return undefined;
    let record: CachedRun;
    try {
      record = JSON.parse(await readFile(join(staging, 'record.json'), 'utf8')) as CachedRun;
      if (record.version !== 1 || !Array.isArray(record.files)) throw new Error('unknown record format');
      for (const index of record.files.keys()) await stat(join(staging, 'files', String(index)));
    } catch (error) {
      runtime.warning(`The cache entry ${key} is incomplete (${(error as Error).message}): training instead.`);
      return undefined;
    }
    await rm(join(cwd, record.modelPath), { recursive: true, force: true });
    for (const [index, path] of record.files.entries()) await moveFile(join(staging, 'files', String(index)), join(cwd, path));
    return record;
  } finally {
    await removeStaging(staging);
  }
}
