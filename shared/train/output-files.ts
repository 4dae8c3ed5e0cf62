import { copyFile, link, lstat, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { sha256OfFile } from '../digest.js';

/** Size and modification time of each file under a folder: enough to see what a command wrote. */
export type FileSnapshot = Map<string, string>;

const SKIPPED = new Set(['.git', 'node_modules', '.mlops']);

/** A file a run produced, for the manifest. */
export interface HashedFile {
  /** Relative to the working directory, with `/`. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Records size and mtime of every file under `cwd` (relative paths), skipping `.git`, `node_modules`,
 * `.mlops` and `excluded` folders (relative to cwd). Symbolic links are not followed.
 */
export async function snapshotFiles(cwd: string, excluded: string[] = []): Promise<FileSnapshot> {
  const snapshot: FileSnapshot = new Map();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(join(cwd, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (SKIPPED.has(entry.name) || excluded.includes(path)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const info = await lstat(join(cwd, path)).catch(() => undefined);
        if (info) snapshot.set(path, `${info.size}:${info.mtimeMs}:${info.ino}`);
      }
    }
  };
  await walk('');
  return snapshot;
}

/** Size, modification time and inode of each of `paths` (relative to cwd) that exists: what {@link changedFiles} compares. */
export async function statFiles(cwd: string, paths: string[]): Promise<FileSnapshot> {
  const snapshot: FileSnapshot = new Map();
  for (const path of paths) {
    const info = await stat(join(cwd, path)).catch(() => undefined);
    if (info?.isFile()) snapshot.set(path, `${info.size}:${info.mtimeMs}:${info.ino}`);
  }
  return snapshot;
}

/** The files of `after` that are new or changed since `before`, sorted. */
export function changedFiles(before: FileSnapshot, after: FileSnapshot): string[] {
  return [...after]
    .filter(([path, state]) => before.get(path) !== state)
    .map(([path]) => path)
    .sort();
}

/**
 * The files of a model: the file itself, or every file under the folder (sorted, relative to cwd).
 * A symbolic link to a folder is followed when its target is inside the working directory (its files
 * are listed under the link's name; a link back to a folder above it is not walked twice); a link to
 * a folder outside throws InputError naming the link and its target, or with `outsideLinks: 'skip'`
 * is left out. Returns undefined when the path does not exist.
 */
export async function listModelFiles(
  cwd: string,
  modelPath: string,
  options: { outsideLinks?: 'refuse' | 'skip' } = {},
): Promise<string[] | undefined> {
  const info = await stat(join(cwd, modelPath)).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isDirectory()) return [modelPath];
  const root = await realpath(cwd);
  const files: string[] = [];
  const walk = async (dir: string, above: string[]): Promise<void> => {
    for (const entry of await readdir(join(cwd, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(path, [...above, await realpath(join(cwd, path))]);
      else if (entry.isFile()) files.push(path);
      else if (entry.isSymbolicLink()) {
        const target = await realpath(join(cwd, path)).catch(() => undefined);
        const targetInfo = target === undefined ? undefined : await stat(target).catch(() => undefined);
        if (!targetInfo) continue; // A broken link: nothing to list.
        if (targetInfo.isFile()) files.push(path);
        else if (targetInfo.isDirectory()) {
          const inside = relative(root, target!);
          if (inside.startsWith('..') || isAbsolute(inside)) {
            if (options.outsideLinks === 'skip') continue;
            throw new InputError(
              `Model path ${modelPath}: ${path} is a symbolic link to the folder ${target}, outside the working directory ${root}; its files would be left out of the manifest and the cache. Copy them into the model folder, or link to a folder inside the working directory.`,
            );
          }
          if (!above.includes(target!)) await walk(path, [...above, target!]);
        }
      }
    }
  };
  await walk(modelPath, [await realpath(join(cwd, modelPath))]);
  return files.sort();
}

/** Size and sha256 of each file (paths relative to cwd). */
export async function hashFiles(cwd: string, paths: string[]): Promise<HashedFile[]> {
  const out: HashedFile[] = [];
  for (const path of paths) {
    const absolute = join(cwd, path);
    const info = await stat(absolute);
    out.push({ path, bytes: info.size, sha256: `sha256:${await sha256OfFile(absolute)}` });
  }
  return out;
}

/** Places a copy of `source` at `target`: a hard link when the file system allows (no bytes copied), else a copy. */
export async function linkOrCopy(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  try {
    await link(source, target);
  } catch {
    await copyFile(source, target);
  }
}

/**
 * Gives each of `paths` (relative to cwd) that has other hard links its own copy, so that a command
 * writing it in place cannot change the other names: a cache hit may have restored it as a link to
 * the local cache's entry. Returns the paths detached.
 */
export async function detachHardLinks(cwd: string, paths: string[]): Promise<string[]> {
  const detached: string[] = [];
  for (const path of paths) {
    const absolute = join(cwd, path);
    const info = await lstat(absolute).catch(() => undefined);
    if (!info?.isFile() || info.nlink < 2) continue;
    const temp = `${absolute}.mlops-detach`;
    try {
      await copyFile(absolute, temp);
      await rename(temp, absolute);
      detached.push(path);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return detached;
}
