// Runs a bundled action the way the GitHub runner does: Node 24, an INPUT_<NAME> variable for every
// input (defaults from action.yml included), and the GITHUB_* files, then reads back what it wrote.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);

/** The Node 24 binary from the `node` devDependency: what `runs: using: node24` means. */
export function node24(): string {
  const candidates = [join(repoRoot, 'node_modules', 'node', 'bin', 'node'), join(repoRoot, 'node_modules', '.bin', 'node')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Node 24 is missing: run npm ci (the `node` devDependency provides it)');
  return found;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice' | 'debug';
  message: string;
  file?: string;
  line?: number;
  title?: string;
}

export interface ActionRun {
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  stdout: string;
  stderr: string;
  workspace: string;
}

export interface ActionRunOptions {
  inputs?: Record<string, string>;
  /** The repository checkout; a fresh temporary folder by default. */
  workspace?: string;
  event?: { name: string; payload: Record<string, unknown> };
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * How the step's stdout is read: all of it (by default); `slow`, a reader that pauses after each chunk;
   * `close-early`, a reader that goes away after the first chunk (the step's writes then fail with EPIPE).
   */
  stdoutReader?: 'all' | 'slow' | 'close-early';
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** Parses `::error file=a,line=3::message` workflow commands from the step's stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  const found: Annotation[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice|debug)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const annotation: Annotation = { level: match[1] as Annotation['level'], message: unescapeData(match[3]!) };
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const [key, value = ''] = pair.split('=');
      const v = unescapeProperty(value);
      if (key === 'file') annotation.file = v;
      if (key === 'line') annotation.line = Number(v);
      if (key === 'title') annotation.title = v;
    }
    found.push(annotation);
  }
  return found;
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` blocks, or `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** Runs actions/<name>/action.yml's runs.main (dist/<name>.js, the stage's entry in the one build) as the runner would; returns what it produced. */
export async function runAction(name: string, options: ActionRunOptions = {}): Promise<ActionRun> {
  // `loop` is the root action (action.yml at the top of the repository), the others actions/<stage>/.
  const actionDir = name === 'loop' ? repoRoot : join(repoRoot, 'actions', name);
  const metadata = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: string }>;
    runs: { using: string; main: string };
  };
  if (metadata.runs.using !== 'node24') throw new Error(`${name}/action.yml runs on ${metadata.runs.using}, expected node24`);
  const temp = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'e2e-workspace-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_ENV: 'env', GITHUB_STATE: 'state', GITHUB_PATH: 'path' };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? temp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/ml-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_EVENT_PATH: join(temp, 'event.json'),
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ...options.env,
  };
  for (const [variable, file] of Object.entries(files)) {
    env[variable] = join(temp, file);
    writeFileSync(env[variable]!, '');
  }
  writeFileSync(env.GITHUB_EVENT_PATH!, JSON.stringify(options.event?.payload ?? {}));
  // The runner sets every declared input: the given value, else the action.yml default.
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    const value = options.inputs?.[input] ?? spec.default ?? '';
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const input of Object.keys(options.inputs ?? {})) {
    if (!(input in (metadata.inputs ?? {}))) env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = options.inputs![input]!;
  }
  const child = spawn(node24(), [join(actionDir, metadata.runs.main)], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (options.stdoutReader === 'close-early') child.stdout.destroy();
    if (options.stdoutReader === 'slow') {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 5);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
  const exitCode = await new Promise<number>((done) => child.on('close', (code) => done(code ?? 137)));
  clearTimeout(timeout);
  return {
    exitCode,
    outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    annotations: parseAnnotations(stdout),
    stdout,
    stderr,
    workspace,
  };
}
