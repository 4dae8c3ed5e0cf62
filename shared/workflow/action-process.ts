// A JavaScript action run the way the GitHub runner runs it: the Node version its action.yml names
// (node24), an INPUT_<NAME> variable for every input, fresh GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH /
// GITHUB_STATE / GITHUB_STEP_SUMMARY files, and its exit code. `mlops workflow run` and the e2e tests
// both run our bundles through this.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { parse } from 'yaml';
import { InputError } from '../errors.js';
import { parseKeyValueFile, parsePathFile } from './runner-protocol.js';

/** What an action.yml declares that running it needs. */
export interface ActionMetadata {
  name?: string;
  inputs?: Record<string, { default?: string; required?: boolean; description?: string }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: { using: string; main?: string; pre?: string; post?: string; steps?: unknown[] };
}

/** Reads `<dir>/action.yml` (or action.yaml); InputError when there is none. */
export function readActionMetadata(dir: string): ActionMetadata {
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new InputError(`${dir} holds no action.yml`);
  const metadata = parse(readFileSync(file, 'utf8')) as ActionMetadata;
  if (!metadata?.runs?.using) throw new InputError(`${file} has no runs.using`);
  return metadata;
}

/** The folder of the mlops-actions package this code runs from (its package.json names it). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mlops-actions') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the mlops-actions package folder is not above this module');
    dir = parent;
  }
}

/** A Node 24 binary, what `runs: using: node24` means: this process's own when it is 24 or newer, else the `node` package's. */
export function node24(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  const root = packageRoot();
  const found = [join(root, 'node_modules', 'node', 'bin', 'node'), join(root, 'node_modules', '.bin', 'node')].find((p) => existsSync(p));
  if (!found)
    throw new InputError(
      `our actions run on Node 24; this is Node ${process.versions.node} and no Node 24 was found (npm ci installs one)`,
    );
  return found;
}

/** The files of one step, as the runner creates them. */
export const RUNNER_FILES = {
  GITHUB_OUTPUT: 'output',
  GITHUB_ENV: 'env',
  GITHUB_PATH: 'path',
  GITHUB_STATE: 'state',
  GITHUB_STEP_SUMMARY: 'summary',
} as const;

/** What a step left in its runner files. */
export interface StepFiles {
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  summary: string;
}

/** Fresh, empty runner files in a new folder under `parent`; returns their variables. */
export function createStepFiles(parent = tmpdir()): Record<keyof typeof RUNNER_FILES, string> {
  const dir = mkdtempSync(join(parent, 'step-'));
  const variables = {} as Record<keyof typeof RUNNER_FILES, string>;
  for (const [variable, file] of Object.entries(RUNNER_FILES)) {
    variables[variable as keyof typeof RUNNER_FILES] = join(dir, file);
    writeFileSync(join(dir, file), '');
  }
  return variables;
}

/** Reads back what a step wrote into its runner files. */
export function readStepFiles(files: Record<keyof typeof RUNNER_FILES, string>): StepFiles {
  return {
    outputs: parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'), 'GITHUB_OUTPUT'),
    env: parseKeyValueFile(readFileSync(files.GITHUB_ENV, 'utf8'), 'GITHUB_ENV'),
    path: parsePathFile(readFileSync(files.GITHUB_PATH, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

/** The INPUT_<NAME> variable of an input, as the runner names it. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ProcessRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface NodeActionOptions {
  actionDir: string;
  metadata: ActionMetadata;
  /** Every input's final value (defaults already applied). */
  inputs: Record<string, string>;
  /** The whole environment of the process (PATH, GITHUB_*, the runner files). */
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Each chunk of stdout as it comes, with the stream (a test may pause it or close it). */
  onStdout?: (chunk: string, stream: Readable) => void;
  onStderr?: (chunk: string) => void;
}

/** Runs runs.main of a node24 (or node20) action; resolves with its exit code and output. */
export async function runNodeAction(options: NodeActionOptions): Promise<ProcessRun> {
  const { metadata } = options;
  if (!/^node(20|24)$/.test(metadata.runs.using) || !metadata.runs.main)
    throw new InputError(
      `${options.actionDir}/action.yml runs ${metadata.runs.using}; a JavaScript action (node24, runs.main) was expected`,
    );
  const env = { ...options.env };
  for (const [name, value] of Object.entries(options.inputs)) env[inputVariable(name)] = value;
  return runProcess(node24(), [resolve(options.actionDir, metadata.runs.main)], { ...options, env });
}

/** Runs a program with a time limit, collecting its output; the exit code is 137 when it was killed. */
export async function runProcess(
  program: string,
  args: string[],
  options: {
    env: Record<string, string>;
    cwd: string;
    timeoutMs: number;
    onStdout?: NodeActionOptions['onStdout'];
    onStderr?: (chunk: string) => void;
  },
): Promise<ProcessRun> {
  const child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    options.onStdout?.(text, child.stdout);
  });
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    options.onStderr?.(text);
  });
  let timedOut = false;
  const timeout = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exitCode = await new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code ?? 137));
  }).finally(() => clearTimeout(timeout));
  return { exitCode, stdout, stderr, timedOut };
}
