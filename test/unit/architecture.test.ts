// The rules between folders (DESIGN.md), checked on the source: no loops between shared/'s folders,
// and only the named folder talks to each host library.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');
const shared = join(repo, 'shared');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'json' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports: static, re-exported, type-only and dynamic. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|(?:^|\n)import\s+'([^']+)'/g),
  ].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** Module specifiers a file loads when it is loaded: static imports that bring a value (not `import type`, not import()). */
function staticValueImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(import|export)\b(\s+type\b)?([^'"]*?)from\s*'([^']+)'|(?:^|\n)import\s+'([^']+)'/g)]
    .filter((m) => {
      if (m[5]) return true;
      if (m[2]) return false;
      const names = /\{([^}]*)\}/.exec(m[3]!)?.[1];
      const onlyTypes =
        names !== undefined && !/^[^{]*\w[^{]*\{/.test(m[3]!) && names.split(',').every((n) => !n.trim() || /^type\s/.test(n.trim()));
      return !onlyTypes;
    })
    .map((m) => (m[4] ?? m[5])!);
}

/** The node a file belongs to: its folder under shared/, or the file itself for shared/'s top-level files. */
function room(file: string): string {
  const [first, ...rest] = relative(shared, file).split('/');
  return rest.length ? `${first}/` : first!;
}

const files = sourceFiles(shared);
const edges = new Map<string, Set<string>>();
for (const file of files) {
  for (const specifier of importsOf(file)) {
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (!target.startsWith(`${shared}/`)) continue;
    const [from, to] = [room(file), room(target)];
    if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
}

/** Folder loops, each as a path that comes back to its start. */
function loops(): string[] {
  const found: string[] = [];
  const walk = (node: string, path: string[]): void => {
    for (const next of edges.get(node) ?? []) {
      if (next === path[0]) found.push([...path, next].join(' → '));
      else if (!path.includes(next) && next > path[0]!) walk(next, [...path, next]);
    }
  };
  for (const start of edges.keys()) walk(start, [start]);
  return found;
}

describe('architecture of shared/', () => {
  it('reads the imports of every module (the checks below see real edges)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.get('stage.ts')).toContain('runtime/');
  });

  it('has no loops between folders', () => {
    expect(loops()).toEqual([]);
  });

  it.each([
    ['runtime/', /^@actions\/(core|cache|artifact|attest)$/],
    // Signing speaks the runner's OIDC protocol: it stays beside the rest of the runner's side.
    ['runtime/', /^@sigstore\/.*$/],
    ['github/', /^(@actions\/github|@octokit\/.*)$/],
    ['docker/', /^dockerode$/],
    // GitHub's workflow parser and expression evaluator serve `mlops workflow run` only: one owner keeps them
    // out of the stages (and out of runtime/, which speaks the runner's protocol from the action's side).
    ['workflow/', /^@actions\/(workflow-parser|expressions)(\/.*)?$/],
  ])('only %s imports %s', (owner, library) => {
    const offenders = files.filter((file) => room(file) !== owner && importsOf(file).some((specifier) => library.test(specifier)));
    expect(offenders.map((file) => relative(repo, file))).toEqual([]);
    // The owner does use it (the rule is not vacuous).
    expect(files.some((file) => room(file) === owner && importsOf(file).some((specifier) => library.test(specifier)))).toBe(true);
  });

  // Start-up: a stage loads Octokit, Docker and the cache and artifact clients only when it uses them
  // (an import of a function from github/client.ts once loaded Octokit and undici into every evaluate run).
  it.each([
    'data/validate-data.ts',
    'train/train.ts',
    'evaluate/evaluate.ts',
    'registry/register.ts',
    'deploy/deploy.ts',
    'stage.ts',
    'runtime/github.ts',
    'entry.ts',
    'cli/main.ts',
  ])('%s reaches no heavy host library through static imports', (start) => {
    const heavy =
      /^(@actions\/(github|cache|artifact|attest|workflow-parser|expressions)(\/.*)?|@octokit\/.*|@sigstore\/.*|dockerode|undici)$/;
    const seen = new Set<string>();
    const reached: string[] = [];
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticValueImportsOf(file)) {
        if (!specifier.startsWith('.')) {
          if (heavy.test(specifier)) reached.push(`${relative(shared, file)} → ${specifier}`);
          continue;
        }
        walk(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      }
    };
    walk(join(shared, start));
    expect(seen.size).toBeGreaterThan(1);
    expect(reached).toEqual([]);
  });

  it('has no folder named utils or helpers', () => {
    const folders = new Set(files.map((file) => relative(shared, dirname(file)).split('/')).flat());
    expect([...folders].filter((name) => /^(utils?|helpers?|misc|common)$/.test(name))).toEqual([]);
  });
});
