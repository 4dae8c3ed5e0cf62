// Docker images made from this machine's own files, since tests never pull: `docker import` of a tar
// of chosen host paths plus the shared libraries `ldd` lists for them. Built once per engine and
// found again by tag.
import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { withLockFile } from './state-lock.js';
import type { DockerEngine } from './docker-engine.js';

const run = promisify(execFile);

export const NODE_IMAGE = 'mlops-test/node:local';
export const PYTHON_TORCH_IMAGE = 'mlops-test/python-torch:local';
/** The node image plus the system libraries onnxruntime's native binding needs (librt): a base for serving images. */
export const NODE_SERVING_IMAGE = 'mlops-test/node-serving:local';
/** Debian's haproxy and its libraries: the router image of the docker deploy target's container mode. */
export const HAPROXY_IMAGE = 'mlops-test/haproxy:local';

const SHELL_TOOLS = [
  'bash',
  'sh',
  'env',
  'cat',
  'ls',
  'mkdir',
  'rm',
  'sleep',
  'id',
  'touch',
  'cp',
  'mv',
  'chmod',
  'head',
  'tail',
  'wc',
  'cut',
].flatMap((tool) =>
  // /usr/bin on a merged-/usr system, /bin on an older one.
  [`/usr/bin/${tool}`, `/bin/${tool}`].filter((path) => existsSync(path)).slice(0, 1),
);
// Debian packages the Python image needs; their Depends and Pre-Depends are added recursively.
const PYTHON_PACKAGES = [
  'python3-torch',
  'python3-sklearn',
  'python3-numpy',
  'python3-scipy',
  'python3-joblib',
  'python3-threadpoolctl',
  'bash',
  'coreutils',
  'dash',
];
// Documentation takes room and no program reads it.
const SKIPPED_PREFIXES = ['/usr/share/doc/', '/usr/share/man/', '/usr/share/info/', '/usr/share/locale/', '/usr/share/lintian/'];
const MERGED_USR_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const BUILD_LOCK_WAIT_MS = 15 * 60_000;

/** `/lib/x/y` → `/usr/lib/x/y` on a merged-/usr system: the parent folder with symlinks resolved. */
function canonical(path: string): string | undefined {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return undefined;
  }
}

/** Adds a path and, when it is a symlink, every link of its chain (each link as the link it is). */
function addWithLinks(path: string, into: Set<string>): void {
  let current = canonical(path);
  for (let hops = 0; current && hops < 40 && !into.has(current); hops++) {
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      return;
    }
    into.add(current);
    if (!stat.isSymbolicLink()) return;
    current = canonical(resolve(dirname(current), readlinkSync(current)));
  }
}

/** The libraries (and the loader) `ldd` lists for these files; files that are not dynamic ELF are ignored. */
async function sharedLibraries(files: string[]): Promise<string[]> {
  const libraries = new Set<string>();
  for (let i = 0; i < files.length; i += 200) {
    const { stdout } = await run('ldd', files.slice(i, i + 200), { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({
      stdout: error.stdout ?? '',
    }));
    for (const line of stdout.split('\n')) {
      const found = /=>\s+(\/\S+)/.exec(line) ?? /^\s+(\/\S+)\s+\(0x/.exec(line);
      if (found) libraries.add(found[1]!);
    }
  }
  return [...libraries];
}

/** Host paths plus the libraries of every executable and shared object among them. */
async function closeOverLibraries(paths: string[]): Promise<Set<string>> {
  const entries = new Set<string>();
  // On a merged-/usr system /bin, /lib and /lib64 are symlinks into /usr; the ELF loader is found through them.
  for (const top of MERGED_USR_LINKS) if (lstatSync(top, { throwIfNoEntry: false })?.isSymbolicLink()) entries.add(top);
  for (const path of paths) addWithLinks(path, entries);
  let pending = [...entries];
  while (pending.length > 0) {
    const binaries = pending.filter((path) => {
      const stat = lstatSync(path);
      return stat.isFile() && (/\.so(\.|$)/.test(path) || (stat.mode & 0o111) !== 0);
    });
    const before = new Set(entries);
    for (const library of await sharedLibraries(binaries)) addWithLinks(library, entries);
    pending = [...entries].filter((path) => !before.has(path));
  }
  return entries;
}

interface InstalledPackage {
  depends: string[][];
  provides: string[];
}

function dependencyNames(field: string): string[][] {
  // "a (>= 1) | b, c:any" → [[a, b], [c]]
  return field
    .split(',')
    .map((group) =>
      group
        .split('|')
        .map((alternative) => alternative.trim().split(/[\s(:]/)[0]!)
        .filter(Boolean),
    )
    .filter((group) => group.length > 0);
}

/** The named Debian packages and everything they depend on, among the packages installed here. */
async function packageClosure(roots: string[]): Promise<string[]> {
  const { stdout } = await run('dpkg-query', ['-W', '-f', '${db:Status-Status}\t${Package}\t${Pre-Depends}, ${Depends}\t${Provides}\n'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const installed = new Map<string, InstalledPackage>();
  const providers = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [status, name, depends, provides] = line.split('\t');
    if (status !== 'installed' || !name) continue;
    installed.set(name, { depends: dependencyNames(depends ?? ''), provides: dependencyNames(provides ?? '').flat() });
  }
  for (const [name, info] of installed) for (const virtual of info.provides) if (!providers.has(virtual)) providers.set(virtual, name);
  const chosen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (chosen.has(name)) continue;
    const info = installed.get(name);
    if (!info) throw new Error(`Debian package ${name} is not installed on this machine (apt-get install ${name})`);
    chosen.add(name);
    for (const group of info.depends) {
      const pick =
        group.find((alternative) => installed.has(alternative)) ?? group.map((alternative) => providers.get(alternative)).find(Boolean);
      if (pick) queue.push(pick);
    }
  }
  return [...chosen];
}

/**
 * The compiled modules next to these .py files. Debian compiles them after installation, so dpkg
 * does not list them; without them Python compiles torch on every import (seconds, not milliseconds).
 */
function compiledModules(paths: string[]): string[] {
  const listings = new Map<string, string[]>();
  const compiled: string[] = [];
  for (const path of paths) {
    if (!path.endsWith('.py')) continue;
    const cacheDir = join(dirname(path), '__pycache__');
    let names = listings.get(cacheDir);
    if (!names) {
      names = existsSync(cacheDir) ? readdirSync(cacheDir) : [];
      listings.set(cacheDir, names);
      if (names.length > 0) compiled.push(cacheDir);
    }
    const stem = basename(path, '.py') + '.';
    for (const name of names)
      if (name.startsWith(stem) && name.endsWith('.pyc') && !name.slice(stem.length, -4).includes('.py'))
        compiled.push(join(cacheDir, name));
  }
  return compiled;
}

async function packageFiles(packages: string[]): Promise<string[]> {
  const { stdout } = await run('dpkg', ['-L', ...packages], { maxBuffer: 256 * 1024 * 1024 });
  const files = stdout.split('\n').filter((path) => path.startsWith('/') && !SKIPPED_PREFIXES.some((prefix) => path.startsWith(prefix)));
  return [...files, ...compiledModules(files)];
}

/** Writes /etc/passwd, /etc/group and a sticky /tmp into `dir`, returning their relative paths. */
async function writeBaseFiles(dir: string): Promise<string[]> {
  await mkdir(join(dir, 'etc'), { recursive: true });
  await mkdir(join(dir, 'tmp'));
  await chmod(join(dir, 'tmp'), 0o1777);
  const users = [
    ['root', 0],
    ['user', 1000],
    ['runner', 1001],
    ['nobody', 65534],
  ] as const;
  await writeFile(
    join(dir, 'etc/passwd'),
    users.map(([name, id]) => `${name}:x:${id}:${id}:${name}:${id === 0 ? '/root' : '/tmp'}:/bin/bash\n`).join(''),
  );
  await writeFile(join(dir, 'etc/group'), users.map(([name, id]) => `${name}:x:${id}:\n`).join(''));
  return ['etc', 'etc/passwd', 'etc/group', 'tmp'];
}

export interface ImageBuild {
  tag: string;
  /** False when the tag was already on the engine. */
  builtNow: boolean;
  seconds: number;
  sizeBytes: number;
}

async function imageSize(docker: Dockerode, tag: string): Promise<number | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Size;
  } catch {
    return undefined;
  }
}

/**
 * Imports host paths (each with its library closure) plus files staged by `stage` as `tag`, unless
 * the engine already has that tag. Returns what was done and the image's size.
 */
async function importHostImage(
  engine: DockerEngine,
  tag: string,
  hostPaths: () => Promise<string[]>,
  stage: (dir: string) => Promise<string[]>,
): Promise<ImageBuild> {
  const started = Date.now();
  const lockName = `image-${tag.replace(/[^a-z0-9]+/gi, '-')}.lock`;
  return withLockFile(join(engine.stateDir, lockName), BUILD_LOCK_WAIT_MS, async () => {
    const existing = await imageSize(engine.docker, tag);
    if (existing !== undefined) return { tag, builtNow: false, seconds: 0, sizeBytes: existing };
    const staging = await mkdtemp(join(engine.stateDir, 'staging-'));
    try {
      const staged = await stage(staging);
      // A path in the archive twice makes docker import fail, so staged files win over host ones.
      const stagedSet = new Set(staged);
      const entries = [...(await closeOverLibraries(await hostPaths()))]
        .map((path) => path.slice(1))
        .filter((path) => path !== '' && !stagedSet.has(path))
        .sort();
      const listFile = join(staging, '..', `${basename(staging)}.list`);
      await writeFile(listFile, entries.join('\n') + '\n');
      // --no-recursion: package file lists name their folders, and recursing would pack all of /usr.
      const tar = spawn('tar', ['-c', '-f', '-', '--no-recursion', '-C', staging, ...staged, '-C', '/', '-T', listFile], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let tarErrors = '';
      tar.stderr.on('data', (chunk: Buffer) => (tarErrors += chunk.toString()));
      const tarDone = new Promise<number | null>((resolveExit) => tar.on('close', resolveExit));
      const progress = await engine.docker.importImage(tar.stdout, { repo: tag.split(':')[0], tag: tag.split(':')[1] });
      await new Promise<void>((resolveImport, reject) =>
        engine.docker.modem.followProgress(progress, (error: Error | null, events: { error?: string }[]) => {
          const failed = error?.message ?? events.find((event) => event.error)?.error;
          if (failed) reject(new Error(`docker import of ${tag} failed: ${failed}`));
          else resolveImport();
        }),
      );
      const tarExit = await tarDone;
      await rm(listFile, { force: true });
      if (tarExit !== 0) throw new Error(`tar for ${tag} exited with ${tarExit}: ${tarErrors.slice(0, 2000)}`);
      const sizeBytes = (await imageSize(engine.docker, tag)) ?? 0;
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `built ${tag} from host files in ${seconds.toFixed(1)} s: ${(sizeBytes / 1024 ** 2).toFixed(0)} MiB (${entries.length} paths)`,
      );
      return { tag, builtNow: true, seconds, sizeBytes };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}

/** The Node 24 binary the tests run on (node_modules/node/bin/node, resolved to the real file). */
function nodeBinary(): string {
  const fromPackage = join(process.cwd(), 'node_modules/node/bin/node');
  return realpathSync(existsSync(fromPackage) ? fromPackage : process.execPath);
}

/**
 * `mlops-test/node:local`: this machine's Node 24 as /usr/local/bin/node, bash and a few coreutils,
 * their libraries, /etc/passwd with uids 0, 1000, 1001, 65534 and /tmp. Builds it when missing.
 */
export function useNodeImage(engine: DockerEngine): Promise<ImageBuild> {
  return importHostImage(
    engine,
    NODE_IMAGE,
    async () => [...SHELL_TOOLS, ...(await sharedLibraries([nodeBinary()]))],
    async (dir) => {
      const base = await writeBaseFiles(dir);
      await mkdir(join(dir, 'usr/local/bin'), { recursive: true });
      await copyFile(nodeBinary(), join(dir, 'usr/local/bin/node'));
      return [...base, 'usr', 'usr/local', 'usr/local/bin', 'usr/local/bin/node'];
    },
  );
}

/**
 * `mlops-test/node-serving:local`: what `mlops-test/node:local` holds, plus the host libraries that
 * onnxruntime-node's binding links (librt among them), as an official node image has them. The binding
 * itself is not in it: the serving image brings it.
 */
export function useNodeServingImage(engine: DockerEngine): Promise<ImageBuild> {
  const onnxDir = join(process.cwd(), 'node_modules/onnxruntime-node/bin/napi-v6/linux', process.arch);
  const onnxFiles = ['onnxruntime_binding.node', 'libonnxruntime.so.1'].map((file) => join(onnxDir, file));
  return importHostImage(
    engine,
    NODE_SERVING_IMAGE,
    async () => [
      ...SHELL_TOOLS,
      ...(await sharedLibraries([nodeBinary(), ...onnxFiles])).filter((path) => !path.startsWith(process.cwd())),
    ],
    async (dir) => {
      const base = await writeBaseFiles(dir);
      await mkdir(join(dir, 'usr/local/bin'), { recursive: true });
      await copyFile(nodeBinary(), join(dir, 'usr/local/bin/node'));
      return [...base, 'usr', 'usr/local', 'usr/local/bin', 'usr/local/bin/node'];
    },
  );
}

/** `mlops-test/haproxy:local`: the files of Debian's haproxy package (/usr/sbin/haproxy) and their libraries. */
export function useHaproxyImage(engine: DockerEngine): Promise<ImageBuild> {
  return importHostImage(engine, HAPROXY_IMAGE, async () => [...SHELL_TOOLS, ...(await packageFiles(['haproxy']))], writeBaseFiles);
}

/**
 * `mlops-test/python-torch:local`: /usr/bin/python3 with Debian's torch, scikit-learn, numpy,
 * scipy, joblib and threadpoolctl — every file of those packages and their installed dependencies,
 * plus the libraries `ldd` lists. Builds it when missing (once per machine; it takes minutes).
 */
export function usePythonTorchImage(engine: DockerEngine): Promise<ImageBuild> {
  return importHostImage(engine, PYTHON_TORCH_IMAGE, async () => packageFiles(await packageClosure(PYTHON_PACKAGES)), writeBaseFiles);
}
