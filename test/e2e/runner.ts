// Runs a bundled action the way the GitHub runner does: Node 24, an INPUT_<NAME> variable for every
// input (defaults from action.yml included), and the GITHUB_* files, then reads back what it wrote.
// The runner's side lives in shared/workflow/action-process.ts (`mlops workflow run` runs steps with it);
// this file gives the e2e tests a fixed event and repository around it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  createStepFiles,
  node24 as sharedNode24,
  readActionMetadata,
  readStepFiles,
  runNodeAction,
} from '../../shared/workflow/action-process.js';
import { parseCommandLine } from '../../shared/workflow/runner-protocol.js';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);

/** The Node 24 binary: what `runs: using: node24` means. */
export function node24(): string {
  return sharedNode24();
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

/** Parses `::error file=a,line=3::message` workflow commands from the step's stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  return stdout.split('\n').flatMap((line) => {
    const command = /^::/.test(line) ? parseCommandLine(line) : undefined;
    if (!command || !['error', 'warning', 'notice', 'debug'].includes(command.command)) return [];
    const annotation: Annotation = { level: command.command as Annotation['level'], message: command.message };
    const { file, line: at, title } = command.properties;
    if (file !== undefined) annotation.file = file;
    if (at !== undefined) annotation.line = Number(at);
    if (title !== undefined) annotation.title = title;
    return [annotation];
  });
}

/** Runs actions/<name>/action.yml's runs.main (dist/<name>.js, the stage's entry in the one build) as the runner would; returns what it produced. */
export async function runAction(name: string, options: ActionRunOptions = {}): Promise<ActionRun> {
  // `loop` is the root action (action.yml at the top of the repository), the others actions/<stage>/.
  const actionDir = name === 'loop' ? repoRoot : join(repoRoot, 'actions', name);
  const metadata = readActionMetadata(actionDir);
  if (metadata.runs.using !== 'node24') throw new Error(`${name}/action.yml runs on ${metadata.runs.using}, expected node24`);
  const temp = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'e2e-workspace-'));
  const files = createStepFiles(temp);
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
    ...files,
  };
  writeFileSync(env.GITHUB_EVENT_PATH!, JSON.stringify(options.event?.payload ?? {}));
  // The runner sets every declared input: the given value, else the action.yml default; undeclared ones given pass through.
  const inputs: Record<string, string> = {};
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) inputs[input] = options.inputs?.[input] ?? spec.default ?? '';
  for (const [input, value] of Object.entries(options.inputs ?? {})) inputs[input] ??= value;
  const run = await runNodeAction({
    actionDir: dirname(join(actionDir, 'action.yml')),
    metadata,
    inputs,
    env,
    cwd: workspace,
    timeoutMs: options.timeoutMs ?? 240_000,
    onStdout: (_, stream) => {
      if (options.stdoutReader === 'close-early') stream.destroy();
      if (options.stdoutReader === 'slow') {
        stream.pause();
        setTimeout(() => stream.resume(), 5);
      }
    },
  });
  const written = readStepFiles(files);
  return {
    exitCode: run.exitCode,
    outputs: written.outputs,
    summary: written.summary,
    annotations: parseAnnotations(run.stdout),
    stdout: run.stdout,
    stderr: run.stderr,
    workspace,
  };
}
