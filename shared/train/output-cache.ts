import { copyFile, lstat, mkdir, readFile, realpath, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative } from 'node:path';
import { sha256OfFile } from '../digest.js';
import type { Runtime } from '../runtime/port.js';
import type { TrainManifest } from './manifest.js';
import type { FlatMetrics } from './metrics.js';
import { type HashedFile, linkOrCopy } from './output-files.js';

/**
 * What a cache entry holds besides the files: enough to answer a later run without running the
 * command, and the size and sha256 of every file as it was saved, which a restore checks.
 */
export interface CachedRun {
  version: 2;
  fingerprint: string;
  /** The outputs, relative to the working directory; stored as files/<index>. */
  files: HashedFile[];
  modelPath: string;
  metricsFile: string | null;
  metrics: FlatMetrics;
  curve: { step: number; values: FlatMetrics }[];
  manifest: TrainManifest;
}

/** What a restore may write: the configured outputs of this run, inside the working directory. */
export interface RestoreTarget {
  /** The cache key's fingerprint: the record must name it. */
  fingerprint: string;
  /** Relative to cwd, with `/`. */
  modelPath: string;
  metricsPath: string | undefined;
  /** The state folder relative to cwd, when it lies inside: never an output. */
  stateInside: string | undefined;
}

/** Folders no output of a run lies in (the snapshot of what a command wrote skips them). */
const NEVER_OUTPUTS = new Set(['.git', 'node_modules', '.mlops']);

const SHA256 = /^sha256:[0-9a-f]{64}$/;

function isUnder(folder: string, path: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Why `path`, a file of a cache record, may not be written by a restore; undefined when it may. */
function refusedPath(path: unknown, target: RestoreTarget): string | undefined {
  if (typeof path !== 'string' || path === '') return `a file has no path (${JSON.stringify(path)})`;
  const shown = JSON.stringify(path);
  if (path.startsWith('/') || isAbsolute(path)) return `the path ${shown} is absolute`;
  if (path.includes('\\') || path.includes('\0')) return `the path ${shown} holds a backslash or NUL`;
  if (path.split('/').some((part) => part === '..')) return `the path ${shown} leaves the working directory`;
  if (posix.normalize(path) !== path || path.endsWith('/')) return `the path ${shown} is not in normal form`;
  if (isUnder(target.modelPath, path)) return undefined;
  if (path === target.metricsPath) return undefined;
  if (target.stateInside !== undefined && isUnder(target.stateInside, path)) return `the path ${shown} is inside the state folder`;
  if (path.split('/').some((part) => NEVER_OUTPUTS.has(part))) return `the path ${shown} is inside .git, node_modules or .mlops`;
  return undefined;
}

/**
 * Why a cache record cannot be trusted for this run: its format, a path it names that is not an
 * output of this run (outside the working directory, another model path or metrics file, the state
 * folder), a missing digest. Undefined when it can.
 */
export function recordProblem(value: unknown, target: RestoreTarget): string | undefined {
  if (typeof value !== 'object' || value === null) return 'the record is not an object';
  const record = value as Partial<CachedRun>;
  if (record.version !== 2)
    return `the record has format ${JSON.stringify(record.version)}, not 2 (saved by another version, without digests)`;
  if (record.fingerprint !== target.fingerprint)
    return `the record is of fingerprint ${JSON.stringify(record.fingerprint)}, not ${target.fingerprint}`;
  if (record.modelPath !== target.modelPath)
    return `the record names model path ${JSON.stringify(record.modelPath)}, not the configured ${JSON.stringify(target.modelPath)}`;
  if (record.metricsFile !== (target.metricsPath ?? null))
    return `the record names metrics file ${JSON.stringify(record.metricsFile)}, not the configured ${JSON.stringify(target.metricsPath ?? null)}`;
  if (!Array.isArray(record.files) || record.files.length === 0) return 'the record lists no files';
  if (typeof record.manifest !== 'object' || record.manifest === null) return 'the record holds no manifest';
  if (typeof record.metrics !== 'object' || record.metrics === null || !Array.isArray(record.curve)) return 'the record holds no metrics';
  const seen = new Set<string>();
  for (const file of record.files as unknown[]) {
    if (typeof file !== 'object' || file === null) return 'a file of the record is not an object';
    const { path, bytes, sha256 } = file as Partial<HashedFile>;
    const refused = refusedPath(path, target);
    if (refused) return refused;
    if (seen.has(path!)) return `the path ${JSON.stringify(path)} is listed twice`;
    for (const other of seen)
      if (isUnder(other, path!) || isUnder(path!, other)) return `the paths ${JSON.stringify(other)} and ${JSON.stringify(path)} overlap`;
    seen.add(path!);
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return `the file ${JSON.stringify(path)} has no sha256 digest`;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return `the file ${JSON.stringify(path)} has no size`;
  }
  if (!record.files.some((f) => isUnder(target.modelPath, f.path))) return `the record holds no file of the model path ${target.modelPath}`;
  if (target.metricsPath !== undefined && !seen.has(target.metricsPath)) return `the record holds no metrics file ${target.metricsPath}`;
  return undefined;
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
    for (const [index, file] of record.files.entries()) await linkOrCopy(join(cwd, file.path), join(staging, 'files', String(index)));
    await writeFile(join(staging, 'record.json'), JSON.stringify(record));
    return await runtime.saveCache([staging], key);
  } catch (error) {
    runtime.warning(`Could not stage the outputs for the cache, continuing without saving them: ${(error as Error).message}`);
    return false;
  } finally {
    await removeStaging(staging);
  }
}

/** Why a restored file is not the one saved (not a regular file, another size or sha256); undefined when it is. */
async function fileProblem(staged: string, file: HashedFile): Promise<string | undefined> {
  const info = await lstat(staged).catch(() => undefined);
  if (!info) return `${file.path} is missing from the entry`;
  if (!info.isFile()) return `${file.path} is not a regular file in the entry`;
  if (info.size !== file.bytes) return `${file.path} has ${info.size} bytes, not the ${file.bytes} recorded`;
  const digest = `sha256:${await sha256OfFile(staged)}`;
  if (digest !== file.sha256) return `${file.path} has sha256 ${digest}, not the ${file.sha256} recorded`;
  return undefined;
}

/** Why writing `path` (relative to cwd) would go through a symbolic link out of the working directory; undefined when it stays. */
async function leavesThroughLink(cwd: string, path: string): Promise<string | undefined> {
  const root = await realpath(cwd);
  let folder = dirname(join(cwd, path));
  // The deepest folder on the way that exists: where the file would really be created.
  for (;;) {
    const real = await realpath(folder).catch(() => undefined);
    if (real !== undefined) {
      const inside = relative(root, real);
      return inside.startsWith('..') || isAbsolute(inside)
        ? `writing ${path} would follow a symbolic link to ${real}, outside ${root}`
        : undefined;
    }
    if (folder === cwd || dirname(folder) === folder) return undefined;
    folder = dirname(folder);
  }
}

/**
 * Restores the outputs saved under `key` into cwd. The entry comes into a staging folder first; its
 * record must name this run's fingerprint and configured outputs only (model path, metrics file,
 * other files inside the working directory), and every file must have the size and sha256 recorded
 * when it was saved. Only then is the model path replaced as a whole (no stale file of an earlier
 * model survives) and every file moved into place. Returns the cached run, or undefined on a miss or
 * an entry that fails a check (with a warning naming what was wrong; then nothing in cwd has changed).
 */
export async function restoreTrainOutputs(
  runtime: Runtime,
  options: { cwd: string; key: string; staging: string; target: RestoreTarget },
): Promise<CachedRun | undefined> {
  const { cwd, key, staging, target } = options;
  await rm(staging, { recursive: true, force: true });
  try {
    const matched = await runtime.restoreCache([staging], key);
    if (matched !== key) return undefined;
    let record: CachedRun;
    try {
      const parsed = JSON.parse(await readFile(join(staging, 'record.json'), 'utf8')) as unknown;
      const problem = recordProblem(parsed, target);
      if (problem) throw new Error(problem);
      record = parsed as CachedRun;
      for (const [index, file] of record.files.entries()) {
        const wrong = (await fileProblem(join(staging, 'files', String(index)), file)) ?? (await leavesThroughLink(cwd, file.path));
        if (wrong) throw new Error(wrong);
      }
    } catch (error) {
      runtime.warning(`The cache entry ${key} cannot be trusted (${(error as Error).message}): ignored it, training instead.`);
      return undefined;
    }
    await rm(join(cwd, record.modelPath), { recursive: true, force: true });
    for (const [index, file] of record.files.entries()) await moveFile(join(staging, 'files', String(index)), join(cwd, file.path));
    return record;
  } finally {
    await removeStaging(staging);
  }
}
