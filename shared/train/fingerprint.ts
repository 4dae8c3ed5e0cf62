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

/** Left out of the default fingerprint: workflows and prose change nothing a command computes. */
const DEFAULT_EXCLUDED_FOLDERS = new Set(['.github']);
const PROSE = /\.(md|markdown)$/i;

/** True when the default fingerprint leaves `path` out although it is code-like in place: `.github/` and Markdown. */
function isDefaultExcluded(path: string): boolean {
  return PROSE.test(path) || path.split('/').some((p) => DEFAULT_EXCLUDED_FOLDERS.has(p));
}

/** Which files the fingerprint covers, and where the list came from. */
export interface KeyFileList {
  /** Relative to cwd, sorted. */
  files: string[];
  source: 'patterns' | 'git' | 'walk';
  /** With source 'git': those of `files` that git does not track (untracked, not ignored). */
  untracked: string[];
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** True when `path` (relative to cwd) is one of `excluded` (relative to cwd) or inside one of them. */
function isExcluded(path: string, excluded: string[]): boolean {
  const parts = path.split('/');
  if (parts.some((p) => ALWAYS_EXCLUDED.has(p))) return true;
  return excluded.some((e) => path === e || path.startsWith(`${e}/`));
}

/**
 * The files under cwd (relative to cwd) that git tracks, and those untracked but not ignored
 * (`git ls-files --others --exclude-standard`); undefined when cwd is not in a git work tree.
 */
async function gitFiles(cwd: string): Promise<{ tracked: string[]; untracked: string[] } | undefined> {
  if (!insideGitWorkTree(cwd)) return undefined;
  const [tracked, untracked] = await Promise.all([
    gitOutput(cwd, ['ls-files', '-z', '--cached'], 256 * 1024 * 1024),
    gitOutput(cwd, ['ls-files', '-z', '--others', '--exclude-standard'], 256 * 1024 * 1024),
  ]);
  if (tracked === null || untracked === null) return undefined;
  return { tracked: tracked.split('\0').filter(Boolean), untracked: untracked.split('\0').filter(Boolean) };
}

async function walkFiles(cwd: string, dir: string, out: string[], excluded: string[], skip?: (path: string) => boolean): Promise<void> {
  const entries = await readdir(join(cwd, dir), { withFileTypes: true });
  for (const entry of entries) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (isExcluded(path, excluded) || skip?.(path)) continue;
    if (entry.isDirectory()) await walkFiles(cwd, path, out, excluded, skip);
    else if (entry.isFile()) out.push(path);
    // Symbolic links are followed only to files, so a link to a parent cannot loop.
    else if (entry.isSymbolicLink() && (await stat(join(cwd, path)).catch(() => undefined))?.isFile()) out.push(path);
  }
}

/**
 * The files whose contents go into the fingerprint, relative to cwd and sorted. With `patterns`
 * (files or globs): the files they match. Without: the files under cwd that git tracks or that
 * are untracked but not ignored, or every file when cwd is not in a git repository; either way
 * without `.github/` and Markdown files. `.git`, `node_modules`, `.mlops` and `excluded` paths
 * (relative to cwd) are always left out. Throws InputError for a pattern that matches nothing.
 */
export async function listKeyFiles(cwd: string, patterns: string[] | undefined, excluded: string[]): Promise<KeyFileList> {
  const normalized = excluded.map((e) => toPosix(e).replace(/\/+$/, '')).filter((e) => e !== '' && e !== '.' && !e.startsWith('../'));
  const found = new Set<string>();
  const untracked: string[] = [];
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
    const listed = await gitFiles(cwd);
    if (listed) {
      source = 'git';
      for (const [paths, isTracked] of [
        [listed.tracked, true],
        [listed.untracked, false],
      ] as const) {
        for (const path of paths) {
          if (isExcluded(path, normalized) || isDefaultExcluded(path) || found.has(path)) continue;
          // A tracked file deleted from the work tree is not part of what runs.
          if (!(await stat(join(cwd, path)).catch(() => undefined))?.isFile()) continue;
          found.add(path);
          if (!isTracked) untracked.push(path);
        }
      }
    } else {
      source = 'walk';
      const files: string[] = [];
      await walkFiles(cwd, '', files, normalized, isDefaultExcluded);
      files.forEach((f) => found.add(f));
    }
  }
  return { files: [...found].sort(), source, untracked: untracked.sort() };
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
