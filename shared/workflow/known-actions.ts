// The actions nearly every workflow uses, done locally the way they would act on a runner: checkout is
// the current folder, setup-node / setup-python report what is installed, upload-artifact /
// download-artifact and cache keep their files under the state folder (.mlops/artifacts, .mlops/cache).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { LocalCache, storeLocalArtifact } from '../runtime/local-store.js';
import { globToRegExp } from './hash-files.js';

/** What a known action did: its outputs and the lines to print; `failed` when the step fails. */
export interface KnownActionResult {
  outputs: Record<string, string>;
  notes: string[];
  failed?: boolean;
  /** Work done when the job ends (the cache's save), as the action's post step does. */
  post?: (jobSucceeded: boolean) => Promise<string>;
}

export interface KnownActionContext {
  workspace: string;
  stateDir: string;
  with: Record<string, string>;
  env: Record<string, string>;
}

type KnownAction = (context: KnownActionContext) => Promise<KnownActionResult>;

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function version(program: string, args: string[], env: Record<string, string>): string | undefined {
  try {
    return execFileSync(program, args, { env, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Files under `workspace` matching upload-artifact's `path` lines (globs, `!` excludes); hidden ones only
 * when asked. The state folder's artifacts, caches and workflow runs are left out: they stand in for
 * GitHub's services, which are not in a runner's workspace.
 */
function matchFiles(workspace: string, stateDir: string, patterns: string[], includeHidden: boolean): string[] {
  const found: string[] = [];
  const services = ['artifacts', 'cache', 'workflow-runs'].map((name) => join(stateDir, name));
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => globToRegExp(relative(workspace, resolve(workspace, p))));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(relative(workspace, resolve(workspace, p.slice(1)))));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const path = join(dir, entry.name);
      const rel = relative(workspace, path).split('\\').join('/');
      if (entry.isDirectory()) {
        if (!services.includes(path)) walk(path);
      } else if (entry.isFile() && include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel))) {
        if (!includeHidden && rel.split('/').some((part) => part.startsWith('.'))) continue;
        found.push(rel);
      }
    }
  };
  walk(workspace);
  return found.sort();
}

/**
 * The folder an artifact's paths are relative to, as upload-artifact finds it: the least common ancestor
 * of the patterns' fixed parts (a folder given alone is the root itself, a file its folder).
 */
function artifactRoot(workspace: string, patterns: string[]): string {
  const fixed = patterns
    .filter((p) => !p.startsWith('!'))
    .map((p) => {
      const parts = relative(workspace, resolve(workspace, p)).split('/');
      const wild = parts.findIndex((part) => /[*?[]/.test(part));
      if (wild !== -1) return parts.slice(0, wild);
      const path = join(workspace, ...parts);
      return existsSync(path) && statSync(path).isDirectory() ? parts : parts.slice(0, -1);
    });
  let common = fixed[0] ?? [];
  for (const parts of fixed.slice(1)) {
    let same = 0;
    while (same < common.length && same < parts.length && common[same] === parts[same]) same++;
    common = common.slice(0, same);
  }
  return join(workspace, ...common.filter(Boolean));
}

const checkout: KnownAction = async ({ workspace, with: inputs }) => {
  const notes = [`the repository is the current folder, ${workspace}`];
  if (inputs.repository) notes.push(`repository ${inputs.repository} is not fetched: the step uses the current folder`);
  if (inputs.ref) notes.push(`ref ${inputs.ref} is not checked out: the step uses the working tree as it is`);
  return { outputs: { ref: inputs.ref ?? '', commit: '' }, notes };
};

const setupNode: KnownAction = async ({ with: inputs, env }): Promise<KnownActionResult> => {
  const installed = version('node', ['--version'], env);
  if (!installed) return { outputs: {}, notes: ['no node on PATH'], failed: true };
  const asked = inputs['node-version'] ?? '';
  const major = installed.replace(/^v/, '').split('.')[0];
  const notes = [`uses the installed Node ${installed}${asked ? ` (the workflow asks for ${asked})` : ''}`];
  if (asked && !new RegExp(`^v?${major}(\\.|$|\\.x)`).test(asked) && !/^(lts|latest|current|node)/.test(asked))
    notes.push(`warning: Node ${asked} is asked for, ${installed} is installed`);
  if (inputs.cache) notes.push(`the ${inputs.cache} package cache is not set up locally`);
  return { outputs: { 'node-version': installed, 'cache-hit': 'false' }, notes };
};

const setupPython: KnownAction = async ({ with: inputs, env }): Promise<KnownActionResult> => {
  const program = ['python3', 'python'].find((p) => version(p, ['--version'], env) !== undefined);
  if (!program) return { outputs: {}, notes: ['no python3 on PATH'], failed: true };
  const installed = version(program, ['--version'], env)!.replace(/^Python /, '');
  const path = version(program, ['-c', 'import sys; print(sys.executable)'], env) ?? program;
  const asked = inputs['python-version'] ?? '';
  const notes = [`uses the installed Python ${installed} (${path})${asked ? `; the workflow asks for ${asked}` : ''}`];
  if (asked && !installed.startsWith(asked.replace(/\.x$/, '')))
    notes.push(`warning: Python ${asked} is asked for, ${installed} is installed`);
  return { outputs: { 'python-version': installed, 'python-path': path, 'cache-hit': 'false' }, notes };
};

const uploadArtifact: KnownAction = async ({ workspace, stateDir, with: inputs }): Promise<KnownActionResult> => {
  const name = inputs.name || 'artifact';
  const files = matchFiles(workspace, stateDir, lines(inputs.path), inputs['include-hidden-files'] === 'true');
  if (files.length === 0) {
    const policy = inputs['if-no-files-found'] || 'warn';
    const message = `no files match ${lines(inputs.path).join(', ')}`;
    return {
      outputs: {},
      notes: [`${policy === 'error' ? 'error' : policy === 'ignore' ? 'note' : 'warning'}: ${message}`],
      failed: policy === 'error',
    };
  }
  const root = artifactRoot(workspace, lines(inputs.path));
  const stored = await storeLocalArtifact(
    join(stateDir, 'artifacts'),
    name,
    files.map((f) => relative(root, join(workspace, f))),
    root,
  );
  return {
    outputs: { 'artifact-id': name, 'artifact-url': `file://${stored}` },
    notes: [`${files.length} file(s) stored in ${relative(workspace, stored) || stored}`],
  };
};

const downloadArtifact: KnownAction = async ({ workspace, stateDir, with: inputs }): Promise<KnownActionResult> => {
  const root = join(stateDir, 'artifacts');
  const target = resolve(workspace, inputs.path || '.');
  // Without a name: every artifact, or those whose name matches `pattern` (a glob, as download-artifact v4 reads it).
  const pattern = inputs.pattern ? globToRegExp(inputs.pattern) : undefined;
  const names = inputs.name
    ? [inputs.name]
    : existsSync(root)
      ? readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory() && (!pattern || pattern.test(n)))
      : [];
  const missing = names.filter((n) => !existsSync(join(root, n)));
  if (missing.length || names.length === 0)
    return {
      outputs: {},
      notes: [
        `error: no artifact ${missing.join(', ') || (pattern ? `matches ${inputs.pattern}` : '(none uploaded)')} in ${relative(workspace, root) || root}`,
      ],
      failed: true,
    };
  // One artifact goes into path itself; several, each into path/<name>, unless merge-multiple puts them all in path.
  const merge = !inputs.name && inputs['merge-multiple'] === 'true';
  for (const name of names) {
    const into = inputs.name || merge ? target : join(target, name);
    await mkdir(into, { recursive: true });
    await cp(join(root, name), into, { recursive: true });
  }
  const notes = [`${names.join(', ')} copied to ${relative(workspace, target) || '.'}${merge ? ' (merged)' : ''}`];
  // Artifacts of every local run share the state folder: there is no other run's to pick.
  if (inputs['run-id']) notes.push(`run-id ${inputs['run-id']}: the artifact is the one in ${relative(workspace, root) || root}`);
  return { outputs: { 'download-path': target }, notes };
};

/** actions/cache, actions/cache/restore and actions/cache/save: which halves the action does. */
function cacheAction(restore: boolean, save: boolean): KnownAction {
  return async ({ workspace, stateDir, with: inputs }) => {
    const cache = new LocalCache(join(stateDir, 'cache'), workspace);
    const paths = lines(inputs.path);
    const key = inputs.key ?? '';
    if (!key || paths.length === 0) return { outputs: {}, notes: ['error: the cache needs key and path'], failed: true };
    const outputs: Record<string, string> = {};
    const notes: string[] = [];
    let hit: string | undefined;
    if (restore) {
      hit = await cache.restore(paths, key, lines(inputs['restore-keys'])).catch((error: Error) => {
        notes.push(`warning: ${error.message}`);
        return undefined;
      });
      outputs['cache-hit'] = String(hit === key);
      outputs['cache-primary-key'] = key;
      if (hit) outputs['cache-matched-key'] = hit;
      notes.push(hit ? `restored ${hit} from ${relative(workspace, join(stateDir, 'cache'))}` : `no entry for ${key}`);
    }
    const saveNow = async (): Promise<string> => {
      await cache.save(paths, key);
      return `saved ${key} in ${relative(workspace, join(stateDir, 'cache'))}`;
    };
    if (save && !restore) notes.push(await saveNow());
    const result: KnownActionResult = { outputs, notes };
    // As actions/cache's post step: save when the job succeeded and the key was not an exact hit.
    if (save && restore) result.post = async (ok) => (ok && hit !== key ? saveNow() : `not saved (${ok ? 'exact hit' : 'the job failed'})`);
    return result;
  };
}

const KNOWN: Record<string, KnownAction> = {
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'actions/setup-python': setupPython,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
  'actions/cache': cacheAction(true, true),
  'actions/cache/restore': cacheAction(true, false),
  'actions/cache/save': cacheAction(false, true),
};

/** The local stand-in for `uses` (e.g. `actions/checkout@v4`), or undefined when it has none. */
export function knownAction(uses: string): KnownAction | undefined {
  return KNOWN[uses.replace(/@.*$/, '').toLowerCase()];
}
