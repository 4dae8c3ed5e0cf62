import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';

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

/** The local cache under `.mlops/cache`: one folder per key, holding the paths relative to the workspace. */
export class LocalCache {
  constructor(
    private readonly cacheDir: string,
    private readonly workspace: string,
  ) {}

  /** Restores the entry for `key`, else the newest entry whose key starts with one of `restoreKeys`. */
  async restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    const found = (await this.exists(key)) ? key : await this.newestWithPrefix(restoreKeys);
    if (found === undefined) return undefined;
    const folder = join(this.cacheDir, safeName(found), 'files');
    for (const path of paths) {
      const inside = relative(this.workspace, resolve(this.workspace, path));
      const source = join(folder, inside);
      if (!(await stat(source).catch(() => undefined))) continue;
      const target = join(this.workspace, inside);
      await rm(target, { recursive: true, force: true });
      await cp(source, target, { recursive: true, preserveTimestamps: true });
    }
    return found;
  }

  async save(paths: string[], key: string): Promise<void> {
    const entry = join(this.cacheDir, safeName(key));
    await mkdir(this.cacheDir, { recursive: true });
    const staging = `${entry}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await copyIntoFolder(paths, this.workspace, join(staging, 'files'));
    await writeFile(join(staging, 'key'), key);
    await rm(entry, { recursive: true, force: true });
    await rename(staging, entry);
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

/** The local artifact store under `.mlops/artifacts/<name>`. */
export async function storeLocalArtifact(artifactsDir: string, name: string, files: string[], rootDir: string): Promise<string> {
  const target = join(artifactsDir, name);
  await copyIntoFolder(
    files.map((f) => relative(rootDir, resolve(rootDir, f))),
    rootDir,
    target,
  );
  return target;
}
