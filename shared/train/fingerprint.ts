import { createHash } from 'node:crypto';
import { glob, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { sha256OfFile } from '../digest.js';
import { InputError } from '../errors.js';
import { gitOutput, insideGitWorkTree } from './git.js';
import { canonicalJson, type Params } from './params.js';

/** One file that is part of a fingerprint: its path relative to the working directory, and its sha256. */
export interface KeyFile {
  path: string;
  sha256: string;
}

/** Folder names never part of the fingerprint: tools' state, installed packages, version control. */
const ALWAYS_EXCLUDED = new Set(['.git', 'node_modules', '.mlops']);

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** True when `path` (relative to cwd) is one of `excluded` (relative to cwd) or inside one of them. */
function isExcluded(path: string, excluded: string[]): boolean {
  const parts = path.split('/');
  if (parts.some((p) => ALWAYS_EXCLUDED.has(p))) return true;
  return excluded.some((e) => path === e || path.startsWith(`${e}/`));
}

/** The files git tracks under cwd (relative to cwd), or undefined when cwd is not in a git work tree. */
async function gitTrackedFiles(cwd: string): Promise<string[] | undefined> {
  if (!insideGitWorkTree(cwd)) return undefined;
  const output = await gitOutput(cwd, ['ls-files', '-z', '--cached'], 256 * 1024 * 1024);
  return output === null ? undefined : output.split('\0').filter(Boolean);
}

async function walkFiles(cwd: string, dir: string, out: string[], excluded: string[]): Promise<void> {
  const entries = await readdir(join(cwd, dir), { withFileTypes: true });
  for (const entry of entries) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (isExcluded(path, excluded)) continue;
    if (entry.isDirectory()) await walkFiles(cwd, path, out, excluded);
    else if (entry.isFile()) out.push(path);
    // Symbolic links are followed only to files, so a link to a parent cannot loop.
    else if (entry.isSymbolicLink() && (await stat(join(cwd, path)).catch(() => undefined))?.isFile()) out.push(path);
  }
}

/**
 * The files whose contents go into the fingerprint, relative to cwd and sorted. With `patterns`
 * (files or globs): the files they match. Without: git's tracked files under cwd, or every file
 * when cwd is not in a git repository. `.git`, `node_modules`, `.mlops` and `excluded` paths
 * (relative to cwd) are left out either way. Throws InputError for a pattern that matches nothing.
 */
export async function listKeyFiles(
  cwd: string,
  patterns: string[] | undefined,
  excluded: string[],
): Promise<{ files: string[]; source: 'patterns' | 'git' | 'walk' }> {
  const normalized = excluded.map((e) => toPosix(e).replace(/\/+$/, '')).filter((e) => e !== '' && e !== '.' && !e.startsWith('../'));
  const found = new Set<string>();
  let source: 'patterns' | 'git' | 'walk';
  if (patterns && patterns.length) {
    source = 'patterns';
    for (const pattern of patterns) {
      const matches: string[] = [];
      for await (const match of glob(pattern, { cwd })) matches.push(match);
      let count = 0;
      for (const match of matches) {
        const absolute = resolve(cwd, match);
        const info = await stat(absolute).catch(() => undefined);
        if (!info) continue;
        count++;
        const inside = toPosix(relative(cwd, absolute));
        if (info.isDirectory()) {
          const nested: string[] = [];
          await walkFiles(cwd, inside, nested, normalized);
          nested.forEach((f) => found.add(f));
        } else if (!isExcluded(inside, normalized)) {
          found.add(inside.startsWith('..') || isAbsolute(inside) ? toPosix(absolute) : inside);
        }
      }
      // A pattern that only matches excluded files (the model, .mlops) is not a mistake; one that matches nothing is.
      if (count === 0) throw new InputError(`Input 'cache-key-files': ${pattern} matches no file in ${cwd}.`);
    }
  } else {
    const tracked = await gitTrackedFiles(cwd);
    if (tracked) {
      source = 'git';
      for (const path of tracked) {
        if (isExcluded(path, normalized)) continue;
        // A tracked file deleted from the work tree is not part of what runs.
        if ((await stat(join(cwd, path)).catch(() => undefined))?.isFile()) found.add(path);
      }
    } else {
      source = 'walk';
      const files: string[] = [];
      await walkFiles(cwd, '', files, normalized);
      files.forEach((f) => found.add(f));
    }
  }
  return { files: [...found].sort(), source };
}

/** The sha256 of each file (paths relative to cwd), in the order given. */
export async function hashKeyFiles(cwd: string, files: string[]): Promise<KeyFile[]> {
  const out: KeyFile[] = [];
  for (const path of files) out.push({ path, sha256: await sha256OfFile(resolve(cwd, path)) });
  return out;
}

/** What a training run's result depends on. */
export interface FingerprintParts {
  dataFingerprint?: string;
  files: KeyFile[];
  params: Params;
  command: string;
  image?: string;
}

/**
 * The run's fingerprint, `sha256:<hex>`: the same data, code and config files, params (key order
 * ignored), command and image always give the same value; a change to any of them gives another.
 */
export function trainFingerprint(parts: FingerprintParts): string {
  const text = canonicalJson({
    version: 1,
    data: parts.dataFingerprint ?? null,
    files: [...parts.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, f.sha256]),
    params: parts.params,
    command: parts.command,
    image: parts.image ?? null,
  });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
