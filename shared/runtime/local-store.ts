import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, cp, link, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

/** A file-system name for a cache key or artifact name (keys may hold any character). */
export function safeName(name: string): string {
  const readable = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${readable}-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/** Copies `paths` (relative to `root`) into a new folder at `target`, atomically (temp folder + rename). */
export async function copyIntoFolder(paths: string[], root: string, target: string): Promise<void> {
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(temp, { recursive: true });
  try {
    for (const path of paths) {
      const absolute = resolve(root, path);
      const inside = relative(root, absolute);
      if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${path} is outside ${root}`);
      await cp(absolute, join(temp, inside), { recursive: true, preserveTimestamps: true });
    }
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** One file of a cache entry as saved: a later change to it (through a hard link) shows in its size or mtime. */
interface EntryFile {
  /** Relative to the entry's files/ folder, with `/`. */
  path: string;
  bytes: number;
  mtimeMs: number;
}

/** How a file came out of the cache: a copy-on-write clone, a hard link to the entry's file, or a copy. */
export type Placement = 'clone' | 'link' | 'copy';

/** How many files are placed at once: copies of several files overlap, clones and links are instant anyway. */
const PLACING_CONCURRENCY = 4;

async function listFilesUnder(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFilesUnder(root, path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Places `source` (a file of an immutable cache entry) at `target` without copying bytes when the
 * file system allows: a copy-on-write clone (btrfs, XFS, APFS…), else a hard link when `linkable`
 * (ext4…; the entry's recorded size and mtime catch a later write through it), else a copy.
 */
async function placeFile(source: string, target: string, state: { cloneFailed: boolean }, linkable: boolean): Promise<Placement> {
  if (!state.cloneFailed) {
    try {
      await copyFile(source, target, constants.COPYFILE_FICLONE_FORCE);
      return 'clone';
    } catch {
      state.cloneFailed = true;
    }
  }
  if (linkable) {
    try {
      await link(source, target);
      return 'link';
    } catch {
      // Another file system, or links not allowed: copy.
    }
  }
  await copyFile(source, target);
  const info = await stat(source);
  await utimes(target, info.atime, info.mtime);
  return 'copy';
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The local cache under `.mlops/cache`: one folder per key, holding the paths relative to the workspace. */
export class LocalCache {
  /** How the files of the last restore were placed, counted (for logs and tests). */
  lastPlacements: Record<Placement, number> = { clone: 0, link: 0, copy: 0 };

  constructor(
    private readonly cacheDir: string,
    private readonly workspace: string,
  ) {}

  /**
   * Restores the entry for `key`, else the newest entry whose key starts with one of `restoreKeys`.
   * Files are cloned, hard-linked or copied (see placeFile), several at a time. Throws, after
   * dropping the entry, when a file of it changed since it was saved.
   */
  async restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    const found = (await this.exists(key)) ? key : await this.newestWithPrefix(restoreKeys);
    if (found === undefined) return undefined;
    const entry = join(this.cacheDir, safeName(found));
    const folder = join(entry, 'files');
    const recorded = await readFile(join(entry, 'files.json'), 'utf8')
      .then((text) => JSON.parse(text) as EntryFile[])
      .catch(() => undefined);
    // An entry saved before files.json existed is copied: a link to it could not be checked later.
    const files: EntryFile[] = recorded ?? (await listFilesUnder(folder)).map((path) => ({ path, bytes: -1, mtimeMs: -1 }));
    for (const file of files) {
      // A name written by hand into files.json must not place a file outside the workspace.
      if (typeof file.path !== 'string' || file.path.split('/').some((part) => part === '..' || part === '') || isAbsolute(file.path)) {
        await rm(entry, { recursive: true, force: true });
        throw new Error(
          `the cache entry ${found} lists the file ${JSON.stringify(file.path)}, which is not a path inside it; it was dropped`,
        );
      }
    }
    if (recorded) await this.checkUnchanged(entry, found, recorded);
    const placed: { source: string; target: string }[] = [];
    for (const path of paths) {
      const inside = relative(this.workspace, resolve(this.workspace, path)).split('\\').join('/');
      const source = join(folder, inside);
      if (!(await stat(source).catch(() => undefined))) continue;
      const target = join(this.workspace, inside);
      await rm(target, { recursive: true, force: true });
      for (const file of files) {
        if (file.path === inside) placed.push({ source, target });
        else if (file.path.startsWith(`${inside}/`))
          placed.push({ source: join(folder, file.path), target: join(this.workspace, file.path) });
      }
    }
    const state = { cloneFailed: false };
    this.lastPlacements = { clone: 0, link: 0, copy: 0 };
    await Promise.all([...new Set(placed.map((p) => dirname(p.target)))].map((dir) => mkdir(dir, { recursive: true })));
    await eachLimited(placed, PLACING_CONCURRENCY, async ({ source, target }) => {
      this.lastPlacements[await placeFile(source, target, state, recorded !== undefined)]++;
    });
    return found;
  }

  /** Throws, after removing the entry, when one of its files no longer has the size and mtime it was saved with. */
  private async checkUnchanged(entry: string, key: string, recorded: EntryFile[]): Promise<void> {
    for (const file of recorded) {
      const info = await stat(join(entry, 'files', file.path)).catch(() => undefined);
      if (info && info.size === file.bytes && info.mtimeMs === file.mtimeMs) continue;
      await rm(entry, { recursive: true, force: true });
      throw new Error(
        `the cache entry ${key} changed after it was saved (${file.path} was ${info ? 'modified' : 'removed'}, perhaps written in place through a restored hard link); it was dropped`,
      );
    }
  }

  async save(paths: string[], key: string): Promise<void> {
    const entry = join(this.cacheDir, safeName(key));
    await mkdir(this.cacheDir, { recursive: true });
    const staging = `${entry}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await copyIntoFolder(paths, this.workspace, join(staging, 'files'));
    const files: EntryFile[] = [];
    for (const path of await listFilesUnder(join(staging, 'files'))) {
      const info = await stat(join(staging, 'files', path));
      files.push({ path, bytes: info.size, mtimeMs: info.mtimeMs });
    }
    await writeFile(join(staging, 'files.json'), JSON.stringify(files));
    await writeFile(join(staging, 'key'), key);
    await rm(entry, { recursive: true, force: true });
    await rename(staging, entry);
  }

  /** True when an entry is saved under exactly `key` (what `mlops run --dry` asks of train's key). */
  async has(key: string): Promise<boolean> {
    return this.exists(key);
  }

  private async exists(key: string): Promise<boolean> {
    return (await stat(join(this.cacheDir, safeName(key), 'key')).catch(() => undefined)) !== undefined;
  }

  private async newestWithPrefix(prefixes: string[]): Promise<string | undefined> {
    if (prefixes.length === 0) return undefined;
    const names = await readdir(this.cacheDir).catch(() => [] as string[]);
    let best: { key: string; time: number } | undefined;
    for (const name of names) {
      const keyFile = join(this.cacheDir, name, 'key');
      const info = await stat(keyFile).catch(() => undefined);
      if (!info) continue;
      const value = await readFile(keyFile, 'utf8');
      if (prefixes.some((p) => value.startsWith(p)) && (!best || info.mtimeMs > best.time)) {
        best = { key: value, time: info.mtimeMs };
      }
    }
    return best?.key;
  }
}

/** Characters GitHub refuses in an artifact name (actions/upload-artifact), which also keep a name one folder. */
const ARTIFACT_NAME_FORBIDDEN = /[":<>|*?\r\n\\/]/;

/**
 * Throws InputError when `name` is not a valid artifact name: empty, `.` or `..`, or holding a
 * character GitHub refuses (`"`, `:`, `<`, `>`, `|`, `*`, `?`, CR, LF, `\`, `/`).
 */
export function checkArtifactName(name: string): void {
  const forbidden = ARTIFACT_NAME_FORBIDDEN.exec(name);
  if (name === '' || name === '.' || name === '..' || forbidden) {
    throw new InputError(
      `Artifact name ${JSON.stringify(name)} is not valid: ${forbidden ? `it contains ${JSON.stringify(forbidden[0])}; ` : ''}an artifact name is not empty, not . or .., and holds none of " : < > | * ? \\ / CR LF.`,
    );
  }
}

/** The local artifact store under `.mlops/artifacts/<name>`; the name stays one folder inside it. */
export async function storeLocalArtifact(artifactsDir: string, name: string, files: string[], rootDir: string): Promise<string> {
  checkArtifactName(name);
  const target = join(artifactsDir, name);
  const inside = relative(artifactsDir, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.includes(sep)) {
    throw new InputError(`Artifact name ${JSON.stringify(name)} would be stored outside ${artifactsDir}.`);
  }
  await copyIntoFolder(
    files.map((f) => relative(rootDir, resolve(rootDir, f))),
    rootDir,
    target,
  );
  return target;
}
