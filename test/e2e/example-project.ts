// What the end-to-end tests of the example workflows share: a copy of one example project (its committed
// outputs left behind, the deploy port made free), the GitHub API double as GITHUB_API_URL, `mlops workflow
// run` on one of its workflows with the host environment a developer would have, and readers of what a run
// left: the registry's versions and aliases, what answers on the deployment's port, the steps' outputs.
import { expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageLayoutRepository } from '../../shared/registry/image-layout.js';
import { readModelTags } from '../../shared/registry/model-versions.js';
import { runWorkflow, type StepRecord, type WorkflowRunResult } from '../../shared/workflow/run-workflow.js';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import { freePort } from '../services/local-process.js';
import { node24, repoRoot } from './runner.js';

export interface ExampleProject {
  /** The copy of the example (github.workspace). */
  project: string;
  /** The deploy port written into the copy's mlops.yml. */
  port: number;
  double: GitHubDouble;
  owner: string;
  repo: string;
  /** What the last run printed. */
  printed: string[];
  /** Runs one workflow of the copy for `event`; throws with everything printed when it fails. */
  run(file: string, event: string, payload: Record<string, unknown>, env?: Record<string, string>): Promise<WorkflowRunResult>;
  /** The same, for a run that may fail: its result either way. */
  attempt(file: string, event: string, payload: Record<string, unknown>, env?: Record<string, string>): Promise<WorkflowRunResult>;
  /** The tags of the model's layout under .mlops/registry: version and alias → digest. */
  tags(model: string): Promise<Record<string, string>>;
  /** The model_version that answers one inference request on the deployment's stable port. */
  served(model: string, input: { shape: number[]; data: number[] }): Promise<string>;
  /** Stops what the process deploy target left serving, the double, and removes the copy. */
  close(): Promise<void>;
}

/** The copy's files the example's own runs would have written (trained model, metrics, caches), left out. */
const GENERATED = /[/\\](model|\.mlops|node_modules|__pycache__)$|[/\\]metrics\.json$/;

export async function openExampleProject(options: {
  example: string;
  owner: string;
  repo: string;
  token: string;
  /** Extra host variables of every run (e.g. npm's offline mode). */
  env?: Record<string, string>;
}): Promise<ExampleProject> {
  // Not a tempDir(): close() needs the state to stop what serves before the folder goes.
  const root = mkdtempSync(join(tmpdir(), `mlops-${options.example}-workflows-`));
  const project = join(root, options.example);
  const source = join(repoRoot, 'workflows-examples', options.example);
  cpSync(source, project, {
    recursive: true,
    // A committed baseline/predictions.csv stays: only the one at the project's root is a run's output.
    filter: (path) => !GENERATED.test(path) && path !== join(source, 'predictions.csv'),
  });
  const port = await freePort();
  const config = join(project, 'mlops.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/port: \d+/, `port: ${port}`));
  // A clone, as a user runs `mlops workflow run` in and a runner checks out: git tells train which files are
  // the project's (the .gitignore'd outputs of earlier runs are not).
  const git = (...args: string[]): void => {
    const done = spawnSync('git', ['-c', 'user.name=mlops test', '-c', 'user.email=test@example.invalid', ...args], {
      cwd: project,
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (done.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${done.stderr}`);
  };
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('commit', '--quiet', '--message', `the ${options.example} example`);
  const double = await startGitHubDouble({ token: options.token });
  double.addRepository(options.owner, options.repo);
  const printed: string[] = [];
  const { owner, repo } = options;

  const hostEnv = (more: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_API_URL: double.url,
    GITHUB_TOKEN: options.token,
    GITHUB_REPOSITORY: `${owner}/${repo}`,
    ...options.env,
    ...more,
  });

  const attempt: ExampleProject['attempt'] = (file, event, payload, env = {}) => {
    printed.length = 0;
    return runWorkflow({
      file: join(project, '.github', 'workflows', file),
      event,
      payload: { repository: { full_name: `${owner}/${repo}` }, ...payload },
      workspace: project,
      env: hostEnv(env),
      print: (line) => printed.push(line),
    });
  };

  return {
    project,
    port,
    double,
    owner,
    repo,
    printed,
    attempt,
    async run(file, event, payload, env = {}) {
      const result = await attempt(file, event, payload, env);
      if (!result.ok) throw new Error(`${file} on ${event} failed:\n${printed.join('\n')}`);
      return result;
    },
    async tags(model) {
      const repository = new ImageLayoutRepository(join(project, '.mlops', 'registry', model), model);
      const { versions, aliases } = await readModelTags(repository);
      return {
        ...Object.fromEntries(versions.filter((v) => v.version).map((v) => [v.version!, v.digest])),
        ...Object.fromEntries(aliases),
      };
    },
    async served(model, input) {
      const response = await fetch(`http://127.0.0.1:${port}/v2/models/${model}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', ...input }] }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { model_version: string }).model_version;
    },
    async close() {
      try {
        if (existsSync(join(project, '.mlops', 'deploy'))) {
          const stop = spawnSync(node24(), [join(repoRoot, 'dist', 'mlops.js'), 'deploy', 'stop'], {
            cwd: project,
            encoding: 'utf8',
            timeout: 60_000,
          });
          if (stop.status !== 0) throw new Error(`mlops deploy stop failed: ${stop.stderr}`);
        }
      } finally {
        await double.close();
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** Host variables for `npm ci` as the workflows run it, from the local npm cache: no request leaves the machine. */
export const OFFLINE_NPM = {
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** Each job's name and result, in the order they ran. */
export const jobResults = (result: WorkflowRunResult): [string, string][] => result.jobs.map((j) => [j.name, j.result]);

/** One step of one job, which must have run. */
export function stepOf(result: WorkflowRunResult, job: string, id: string): StepRecord {
  const step = result.jobs.find((j) => j.name === job)?.steps.find((s) => s.id === id);
  expect(step).toBeDefined();
  return step!;
}

/** Everything the job's steps printed. */
export function jobLog(result: WorkflowRunResult, job: string): string {
  const record = result.jobs.find((j) => j.name === job);
  expect(record).toBeDefined();
  return record!.steps.map((s) => (s.logFile ? readFileSync(s.logFile, 'utf8') : '')).join('\n');
}

/** Requests of a JSONL load test sent to `path` on the port by the test itself, 20 ms apart, until stopped. */
export function sendTraffic(port: number, path: string, bodies: string[]): { stop: () => Promise<number> } {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    for (let i = 0; running && i < 5_000; i++) {
      await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: bodies[i % bodies.length],
        signal: AbortSignal.timeout(5_000),
      })
        .then((r) => r.arrayBuffer())
        .then(() => sent++)
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return sent;
    },
  };
}
