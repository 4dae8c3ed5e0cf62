// @actions/cache extracts an entry with `tar -xf archive -P -C $GITHUB_WORKSPACE`. -P keeps absolute
// member names and `..`, and lets tar write through a symbolic link the archive itself made: an entry
// anyone could write (another branch's workflow, a shared runner) would write wherever it names before
// any check of ours runs. So its tar runs in a fresh folder of ours, through a `tar` on PATH that drops
// -P (GNU and BSD tar then strip a leading `/`, refuse `..` and writes through links), and only files
// and folders inside the requested paths are moved into place.
import { access, chmod, constants, cp, lstat, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** @actions/cache's restoreCache, as GitHubRuntime calls it. */
export type CacheRestore = (paths: string[], key: string, restoreKeys?: string[]) => Promise<string | undefined>;

export interface ConfinedRestoreOptions {
  /** The working directory: every path must lie inside it (the entry holds paths relative to it). */
  workspace: string;
  /** Where the private extraction folder is made (RUNNER_TEMP on a runner). */
  tempRoot: string;
  warn: (message: string) => void;
}

/** Thrown for an entry that holds what no restore of `paths` may write; the caller treats it as a miss. */
export class UntrustedCacheEntry extends Error {
  override name = 'UntrustedCacheEntry';
}

/**
 * Restores the entry for `key` into `paths` (inside the workspace) without letting the archive
 * write anywhere else. Returns the matched key, or undefined on a miss or an entry that holds a member
 * outside `paths`, a symbolic link or a special file (with a warning; then nothing in `paths` changed).
 */
export async function restoreConfined(
  restore: CacheRestore,
  paths: string[],
  key: string,
  restoreKeys: string[] | undefined,
  options: ConfinedRestoreOptions,
): Promise<string | undefined> {
  if (process.platform === 'win32') {
    options.warn('The Actions cache is not restored on Windows: its tar cannot be kept from writing outside the working directory.');
    return undefined;
  }
  // A relative path is taken from the workspace, where the runner starts a step.
  const targets = paths.map((path) => resolve(options.workspace, path));
  const inside = targets.map((path) => {
    const rel = relative(options.workspace, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`cache path ${path} is not inside ${options.workspace}`);
    return rel;
  });
  const sandbox = await mkdtemp(join(options.tempRoot, 'mlops-cache-'));
  try {
    const extracted = join(sandbox, 'entry');
    const bin = join(sandbox, 'bin');
    await mkdir(extracted);
    await mkdir(bin);
    await writeTarShim(bin, await findOnPath('tar'));
    const matched = await withEnvironment({ GITHUB_WORKSPACE: extracted, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` }, () =>
      restore(paths, key, restoreKeys),
    );
    if (matched === undefined) return undefined;
    try {
      await checkExtracted(extracted, '', inside);
    } catch (error) {
      if (!(error instanceof UntrustedCacheEntry)) throw error;
      options.warn(`The cache entry ${matched} cannot be trusted (${error.message}): ignored it.`);
      return undefined;
    }
    for (const [index, rel] of inside.entries()) {
      const from = join(extracted, rel);
      if (!(await lstat(from).catch(() => undefined))) continue;
      await moveInto(from, targets[index]!);
    }
    return matched;
  } finally {
    await rm(sandbox, { recursive: true, force: true });
  }
}

/** The first executable `name` on PATH. */
async function findOnPath(name: string): Promise<string> {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new Error(`no ${name} on PATH`);
}

async function writeTarShim(bin: string, realTar: string): Promise<void> {
  const quoted = `'${realTar.replace(/'/g, `'\\''`)}'`;
  const script = [
    '#!/bin/sh',
    '# Written by mlops-actions: runs tar without -P (absolute names).',
    'for a in "$@"; do',
    '  shift',
    '  [ "$a" = -P ] || set -- "$@" "$a"',
    'done',
    `exec ${quoted} "$@"`,
    '',
  ];
  await writeFile(join(bin, 'tar'), script.join('\n'));
  await chmod(join(bin, 'tar'), 0o700);
}

async function withEnvironment<T>(values: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function within(folder: string, path: string): boolean {
  return path === folder || path.startsWith(`${folder}${sep}`);
}

/** Throws UntrustedCacheEntry for anything under `root` that is not a file or folder on the way to or inside one of `allowed`. */
async function checkExtracted(root: string, rel: string, allowed: string[]): Promise<void> {
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel === '' ? entry.name : join(rel, entry.name);
    const underAllowed = allowed.some((folder) => within(folder, path));
    if (!underAllowed && !allowed.some((folder) => within(path, folder))) {
      throw new UntrustedCacheEntry(`it holds ${path}, which is not one of the cached paths`);
    }
    if (entry.isDirectory()) await checkExtracted(root, path, allowed);
    else if (!entry.isFile()) throw new UntrustedCacheEntry(`${path} is a symbolic link or special file`);
    else if (!underAllowed) throw new UntrustedCacheEntry(`it holds ${path}, which is not one of the cached paths`);
  }
}

async function moveInto(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    // RUNNER_TEMP on another file system than the workspace: copy instead.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, verbatimSymlinks: true });
  }
}
