// `mlops workflow run`: a workflow's jobs run here as a GitHub runner would run them, one after another
// in `needs` order: `if:` on jobs and steps, matrices, env at every level, the GITHUB_* files, job
// outputs and needs.*.outputs, reusable workflows called from this repository. Our actions run their
// bundles; `run:` steps run in their shell; the common actions have local stand-ins (known-actions.ts);
// any other action is reported as not run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { newRunId } from '../run-id.js';
import {
  createStepFiles,
  packageRoot,
  readActionMetadata,
  readStepFiles,
  runNodeAction,
  runProcess,
  type ActionMetadata,
} from './action-process.js';
import { asText, evaluateExpression, interpolate, truthy, type ExpressionScope, type RunStatus } from './expressions.js';
import { hashFiles } from './hash-files.js';
import { allNeeds, orderByNeeds } from './job-order.js';
import { knownAction } from './known-actions.js';
import { expandMatrix, matrixJobName, type MatrixCombination } from './matrix.js';
import { Masks, StepOutput, type StepAnnotation } from './step-output.js';
import { loadWorkflow, type JobPlan, type StepPlan, type WorkflowPlan } from './workflow-file.js';

export type Verdict = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRecord {
  id: string;
  name: string;
  /** success or failure as it ran; skipped when its `if:` was false or the action is not run locally. */
  outcome: Verdict;
  conclusion: Verdict;
  outputs: Record<string, string>;
  annotations: StepAnnotation[];
  /** Why the step did not run, when it did not. */
  reason?: string;
  /** Everything the step printed (masked), when it printed anything. */
  logFile?: string;
}

export interface JobRecord {
  /** The job's id; `caller/callee` for a job of a called workflow. */
  id: string;
  name: string;
  result: Verdict;
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** The job's summary file (what its steps wrote to GITHUB_STEP_SUMMARY), when any step wrote one. */
  summaryFile?: string;
}

export interface WorkflowRunResult {
  ok: boolean;
  jobs: JobRecord[];
  /** Where the run's files are: event.json, each job's summary. */
  runDir: string;
  /** Every `uses:` reported as not run locally. */
  notRun: string[];
}

export interface WorkflowRunOptions {
  file: string;
  event: string;
  /** The event's payload (github.event); a plausible one for the event when not given. */
  payload?: Record<string, unknown>;
  /** workflow_dispatch / workflow_call inputs given on the command line. */
  inputs?: Record<string, string>;
  /** The repository's folder (github.workspace); the working directory by default. */
  workspace: string;
  /** The state folder (.mlops by default, in the workspace). */
  stateDir?: string;
  /** The host's environment: secrets.* and vars.* are read from it, PATH and HOME passed on. */
  env: NodeJS.ProcessEnv;
  /** Prints a line for people. */
  print: (line: string) => void;
}

/** What every job of one run shares. */
interface RunState {
  options: WorkflowRunOptions;
  workspace: string;
  stateDir: string;
  runDir: string;
  masks: Masks;
  github: Record<string, unknown>;
  vars: Record<string, string>;
  hostEnv: Record<string, string>;
  debug: boolean;
  notRun: string[];
  jobs: JobRecord[];
}

/** One workflow's part of a run: the top one, or one called with `uses:`. */
interface WorkflowCall {
  plan: WorkflowPlan;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  /** `caller / ` for the jobs of a called workflow. */
  prefix: string;
}

const DEFAULT_TIMEOUT_MINUTES = 360;

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A payload like GitHub's for `event` in this repository, when none is given: what the workflows we ship read from it. */
function defaultPayload(event: string, workspace: string, repository: string): Record<string, unknown> {
  const sha = git(['rev-parse', 'HEAD'], workspace) ?? '0'.repeat(40);
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'], workspace) ?? 'main';
  const repo = {
    full_name: repository,
    name: repository.split('/')[1],
    owner: { login: repository.split('/')[0] },
    default_branch: 'main',
  };
  switch (event) {
    case 'push':
      return { ref: `refs/heads/${branch}`, before: '0'.repeat(40), after: sha, repository: repo, head_commit: { id: sha } };
    case 'pull_request':
    case 'pull_request_target':
      return {
        action: 'opened',
        number: 1,
        pull_request: { number: 1, head: { sha, ref: branch, repo }, base: { sha, ref: 'main', repo } },
        repository: repo,
      };
    case 'workflow_dispatch':
      return { ref: `refs/heads/${branch}`, inputs: {}, repository: repo };
    default:
      return { repository: repo };
  }
}

/** The repository's owner/name: the payload's, GITHUB_REPOSITORY, the origin remote's, else local/<folder>. */
function repositoryName(payload: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv, workspace: string): string {
  const fromPayload = (payload?.repository as { full_name?: string } | undefined)?.full_name;
  if (fromPayload) return fromPayload;
  if (env.GITHUB_REPOSITORY) return env.GITHUB_REPOSITORY;
  const origin = git(['remote', 'get-url', 'origin'], workspace);
  const match = origin && /[:/]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(origin);
  return match ? match[1]! : `local/${workspace.split('/').pop()}`;
}

function githubContext(
  options: WorkflowRunOptions,
  payload: Record<string, unknown>,
  repository: string,
  runId: string,
  runDir: string,
): Record<string, unknown> {
  const pr = payload.pull_request as { number?: number; head?: { sha?: string; ref?: string }; base?: { ref?: string } } | undefined;
  const sha = (payload.after as string | undefined) ?? pr?.head?.sha ?? git(['rev-parse', 'HEAD'], options.workspace) ?? '0'.repeat(40);
  const ref =
    (pr ? `refs/pull/${pr.number ?? 1}/merge` : undefined) ??
    (payload.ref as string | undefined) ??
    `refs/heads/${git(['rev-parse', '--abbrev-ref', 'HEAD'], options.workspace) ?? 'main'}`;
  return {
    event_name: options.event,
    event: payload,
    event_path: join(runDir, 'event.json'),
    sha,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    head_ref: pr?.head?.ref ?? '',
    base_ref: pr?.base?.ref ?? '',
    repository,
    repository_owner: repository.split('/')[0],
    workspace: options.workspace,
    workflow: options.file,
    run_id: runId,
    run_number: '1',
    run_attempt: '1',
    actor: (payload.sender as { login?: string } | undefined)?.login ?? options.env.USER ?? 'local',
    triggering_actor: options.env.USER ?? 'local',
    server_url: options.env.GITHUB_SERVER_URL ?? 'https://github.com',
    api_url: options.env.GITHUB_API_URL ?? 'https://api.github.com',
    graphql_url: options.env.GITHUB_GRAPHQL_URL ?? 'https://api.github.com/graphql',
    token: options.env.GITHUB_TOKEN ?? '',
    retention_days: '90',
  };
}

/** The host environment a step starts from: the runner's own variables (GITHUB_*, ACTIONS_*, INPUT_*) left out. */
function hostEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    // An enclosing Actions job's ACTIONS_RUNTIME_TOKEN would send our steps' artifacts to its service.
    if (value === undefined || /^(GITHUB_|ACTIONS_|INPUT_|RUNNER_|STATE_)/.test(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/** secrets.*: every variable of the host environment (never printed: each value is masked). */
function secretsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) secrets[name] = value;
  return secrets;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'job';
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** A value given to an action input or env variable: text, as the runner gives it. */
function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${what} is ${JSON.stringify(value)}; expected a mapping`);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : asText(v)]));
}

/** A field of a step or job as plain YAML: each string's `${{ }}` evaluated (a string that is one expression keeps its value's type). */
function evaluateField(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') {
    const whole = /^\s*\$\{\{([^]*)\}\}\s*$/.exec(value);
    if (whole && !whole[1]!.includes('${{')) return evaluateExpression(whole[1]!.trim(), scope);
    return interpolate(value, scope);
  }
  if (Array.isArray(value)) return value.map((v) => evaluateField(v, scope));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateField(v, scope)]));
  return value;
}

/** A composite action's condition as the runner reads it: `${{ }}` optional, success() implied without a status function. */
function compositeCondition(condition: unknown): string {
  if (condition === undefined || condition === null) return 'success()';
  const text = String(condition)
    .replace(/^\s*\$\{\{([^]*)\}\}\s*$/, '$1')
    .trim();
  return /\b(success|failure|always|cancelled)\s*\(/.test(text) ? text : `success() && (${text})`;
}

/** Where a `uses:` action lives on this machine: a folder of the repository, or this package for mlops-actions. */
function actionFolder(uses: string, workspace: string): { dir: string; note?: string } | undefined {
  if (uses.startsWith('./')) return { dir: resolve(workspace, uses) };
  const ours = /^[^/]+\/mlops-actions(?:\/([^@]+))?@(.+)$/.exec(uses);
  if (!ours) return undefined;
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir: join(root, ours[1] ?? ''), note: `runs this mlops-actions (${version}, ${root}) for @${ours[2]}` };
}

/** The interpreter and arguments for a `shell:` value (the runner's templates), the script file going in for {0}. */
function shellCommand(shell: string, script: string): [string, string[]] {
  switch (shell) {
    case 'bash':
      return ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', script]];
    case 'sh':
      return ['sh', ['-e', script]];
    case 'python':
      return [existsSync('/usr/bin/python3') ? 'python3' : 'python', [script]];
    case 'pwsh':
      return ['pwsh', ['-command', `. '${script}'`]];
    default: {
      // A custom shell: `perl {0}`, the script's path in place of {0}.
      if (!shell.includes('{0}')) throw new InputError(`shell ${JSON.stringify(shell)} is not bash, sh, python or pwsh and has no {0}`);
      const [program, ...args] = shell.split(/\s+/).map((part) => part.replace('{0}', script));
      return [program!, args];
    }
  }
}

/** Runs the workflow for the event; prints a line per job and step, and where the summaries are. */
export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRunResult> {
  const plan = await loadWorkflow(resolve(options.workspace, options.file), undefined, options.file);
  if (!(options.event in plan.events))
    throw new InputError(
      `${options.file} does not run on ${options.event}; it runs on ${Object.keys(plan.events).join(', ') || 'no event'}`,
    );
  const workspace = resolve(options.workspace);
  const stateDir = resolve(workspace, options.stateDir ?? '.mlops');
  const runId = newRunId();
  const runDir = join(stateDir, 'workflow-runs', runId);
  mkdirSync(runDir, { recursive: true });
  const repository = repositoryName(options.payload, options.env, workspace);
  const payload = options.payload ?? defaultPayload(options.event, workspace, repository);
  writeFileSync(join(runDir, 'event.json'), JSON.stringify(payload, null, 2));
  const masks = new Masks();
  const secrets = secretsFrom(options.env);
  // Only values that look like secrets are masked (PATH or HOME in every line would hide the log).
  for (const [name, value] of Object.entries(secrets))
    if (/TOKEN|SECRET|PASSWORD|KEY|CREDENTIAL/i.test(name) && value.length >= 4) masks.add(value);
  const state: RunState = {
    options,
    workspace,
    stateDir,
    runDir,
    masks,
    github: githubContext({ ...options, workspace }, payload, repository, runId, runDir),
    vars: Object.fromEntries(
      Object.entries(options.env)
        .filter(([n]) => n.startsWith('VARS_'))
        .map(([n, v]) => [n.slice(5), v ?? '']),
    ),
    hostEnv: hostEnvironment(options.env),
    debug: options.env.RUNNER_DEBUG === '1' || options.env.ACTIONS_STEP_DEBUG === 'true',
    notRun: [],
    jobs: [],
  };
  state.options.print(`workflow ${plan.name ?? options.file} (${options.file}) on ${options.event}, run ${runId}`);
  const inputs = workflowInputs(
    plan,
    options.event,
    { ...(payload.inputs as Record<string, string> | undefined), ...options.inputs },
    options.file,
    { contexts: { github: state.github, vars: state.vars }, status: 'success' },
  );
  await runJobs(state, { plan, inputs, secrets, prefix: '' });
  const ok = state.jobs.every((j) => j.result !== 'failure' && j.result !== 'cancelled');
  const summaries = state.jobs.flatMap((j) => (j.summaryFile ? [j.summaryFile] : []));
  state.options.print(`workflow ${ok ? 'succeeded' : 'failed'}: ${state.jobs.map((j) => `${j.name} ${j.result}`).join(', ')}`);
  // The annotations, as the run's page lists them above the summaries.
  for (const record of state.jobs)
    for (const step of record.steps)
      for (const a of step.annotations.filter((x) => x.level !== 'notice'))
        state.options.print(
          `${a.level}: ${record.name} / ${step.name}: ${a.file ? `${a.file}${a.line ? `:${a.line}` : ''}: ` : ''}${a.message}`,
        );
  if (state.notRun.length) state.options.print(`not run locally: ${[...new Set(state.notRun)].join(', ')}`);
  state.options.print(
    `summaries: ${summaries.length ? summaries.map((f) => relative(workspace, f)).join(', ') : `none written (run folder ${relative(workspace, runDir)})`}`,
  );
  return { ok, jobs: state.jobs, runDir, notRun: [...new Set(state.notRun)] };
}

interface InputSpec {
  type?: string;
  required?: boolean;
  default?: unknown;
  options?: string[];
}

/** The inputs context: workflow_dispatch / workflow_call inputs with their defaults and types; InputError for a missing required one. */
function workflowInputs(
  plan: WorkflowPlan,
  event: string,
  given: Record<string, unknown>,
  file: string,
  scope: ExpressionScope,
): Record<string, unknown> {
  // From the YAML: the parser's model leaves out workflow_call inputs of type number.
  const on = plan.raw.get('on');
  const events =
    on && typeof on === 'object' && !Array.isArray(on) ? (on as Record<string, { inputs?: Record<string, InputSpec> } | null>) : {};
  const declared = event === 'workflow_dispatch' || event === 'workflow_call' ? events[event]?.inputs : undefined;
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared ?? {})) {
    // A default may read github.* (`${{ github.ref_name }}`).
    const raw = given[name] ?? (typeof spec.default === 'string' ? evaluateField(spec.default, scope) : spec.default);
    if (raw === undefined || raw === '') {
      if (spec.required) throw new InputError(`${file}: input ${name} is required (give it with --input ${name}=VALUE)`);
      inputs[name] = spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '';
      continue;
    }
    if (spec.type === 'boolean') {
      if (!['true', 'false', true, false].includes(raw as string))
        throw new InputError(`${file}: input ${name} is ${JSON.stringify(raw)}; expected true or false`);
      inputs[name] = raw === true || raw === 'true';
    } else if (spec.type === 'number') {
      if (Number.isNaN(Number(raw))) throw new InputError(`${file}: input ${name} is ${JSON.stringify(raw)}; expected a number`);
      inputs[name] = Number(raw);
    } else if (spec.type === 'choice' && spec.options && !spec.options.includes(String(raw))) {
      throw new InputError(`${file}: input ${name} is ${JSON.stringify(raw)}; expected one of ${spec.options.join(', ')}`);
    } else inputs[name] = String(raw);
  }
  for (const name of Object.keys(given))
    if (declared && !(name in declared)) throw new InputError(`${file}: there is no input ${name} for ${event}`);
  return inputs;
}

/** The workflow-level env, evaluated (it may read github, inputs, vars, secrets). */
function workflowEnv(state: RunState, call: WorkflowCall): Record<string, string> {
  const scope: ExpressionScope = {
    contexts: { github: state.github, inputs: call.inputs, vars: state.vars, secrets: call.secrets, env: {} },
    status: 'success',
  };
  return stringMap(evaluateField(call.plan.raw.get('env'), scope), 'env');
}

async function runJobs(state: RunState, call: WorkflowCall): Promise<Map<string, JobRecord>> {
  const { plan } = call;
  const order = orderByNeeds(plan.jobs);
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const done = new Map<string, JobRecord>();
  const env = workflowEnv(state, call);
  for (const id of order) {
    const job = byId.get(id)!;
    const needs = Object.fromEntries(job.needs.map((n) => [n, { result: done.get(n)!.result, outputs: done.get(n)!.outputs }]));
    // success() for a job: every job it needs, directly or not, succeeded; failure(): one of them failed.
    const upstream = [...allNeeds(id, plan.jobs)].map((n) => done.get(n)!.result);
    const status: RunStatus = upstream.includes('failure')
      ? 'failure'
      : upstream.includes('cancelled')
        ? 'cancelled'
        : upstream.every((r) => r === 'success')
          ? 'success'
          : 'skipped';
    const name = `${call.prefix}${id}`;
    const scope: ExpressionScope = { contexts: { github: state.github, needs, inputs: call.inputs, vars: state.vars }, status };
    if (!truthy(evaluateExpression(job.if, scope))) {
      state.options.print(`job ${name}: skipped (if: ${job.if})`);
      const record: JobRecord = { id: name, name, result: 'skipped', outputs: {}, steps: [] };
      state.jobs.push(record);
      done.set(id, record);
      continue;
    }
    const strategy = (evaluateField(job.raw.get('strategy'), scope) ?? {}) as {
      matrix?: unknown;
      'fail-fast'?: boolean;
      'max-parallel'?: number;
    };
    const combinations: MatrixCombination[] = strategy.matrix === undefined ? [{}] : expandMatrix(strategy.matrix, id);
    const legs: JobRecord[] = [];
    for (const [index, combination] of combinations.entries()) {
      const legName = matrixJobName(name, combination);
      if (legs.some((l) => l.result === 'failure') && strategy['fail-fast'] !== false) {
        state.options.print(`job ${legName}: cancelled (fail-fast: another leg of the matrix failed)`);
        legs.push({ id: name, name: legName, result: 'cancelled', outputs: {}, steps: [] });
        continue;
      }
      const strategyContext = {
        'fail-fast': strategy['fail-fast'] ?? true,
        'job-index': index,
        'job-total': combinations.length,
        'max-parallel': strategy['max-parallel'] ?? combinations.length,
      };
      const record = job.uses
        ? await runCalledWorkflow(state, call, job, legName, { ...scope.contexts, matrix: combination, strategy: strategyContext })
        : await runJob(state, call, job, legName, env, {
            ...scope.contexts,
            matrix: combination,
            strategy: strategyContext,
            secrets: call.secrets,
          });
      legs.push(record);
    }
    state.jobs.push(...legs);
    // The job as `needs` sees it: failed when a leg failed (unless continue-on-error), outputs of the legs merged.
    const continueOnError = truthy(evaluateField(job.raw.get('continue-on-error'), scope) ?? false);
    const failed = legs.some((l) => l.result === 'failure' || l.result === 'cancelled');
    const combined: JobRecord = {
      id,
      name,
      result: failed ? (continueOnError ? 'success' : 'failure') : legs.every((l) => l.result === 'skipped') ? 'skipped' : 'success',
      outputs: Object.assign({}, ...legs.map((l) => l.outputs)) as Record<string, string>,
      steps: [],
    };
    done.set(id, combined);
  }
  return done;
}

/** A job that calls a reusable workflow of this repository (or of mlops-actions): its jobs run here, under the caller's name. */
async function runCalledWorkflow(
  state: RunState,
  call: WorkflowCall,
  job: JobPlan,
  name: string,
  contexts: Record<string, unknown>,
): Promise<JobRecord> {
  const uses = job.uses!;
  const scope: ExpressionScope = { contexts: { ...contexts, secrets: call.secrets }, status: 'success' };
  let file: string | undefined;
  if (uses.startsWith('./')) file = resolve(state.workspace, uses);
  else {
    const ours = /^[^/]+\/mlops-actions\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(uses);
    if (ours) file = join(packageRoot(), ours[1]!);
  }
  if (!file || !existsSync(file)) {
    const reason = file
      ? `${relative(state.workspace, file)} does not exist`
      : 'only workflows of this repository and of mlops-actions run locally';
    state.options.print(`job ${name}: not run: uses ${uses} (${reason})`);
    state.notRun.push(uses);
    return { id: name, name, result: 'skipped', outputs: {}, steps: [] };
  }
  const plan = await loadWorkflow(file, undefined, uses);
  if (!plan.events.workflow_call) throw new InputError(`${uses} is called by job ${job.id} but has no on: workflow_call`);
  const given = (evaluateField(job.raw.get('with'), scope) ?? {}) as Record<string, unknown>;
  const secretsField = job.raw.get('secrets');
  const secrets = secretsField === 'inherit' ? call.secrets : stringMap(evaluateField(secretsField, scope), `jobs.${job.id}.secrets`);
  for (const [secret, spec] of Object.entries(plan.events.workflow_call.secrets ?? {}))
    if (spec.required && !secrets[secret]) throw new InputError(`${uses} requires the secret ${secret}; job ${job.id} does not pass it`);
  const inputs = workflowInputs(plan, 'workflow_call', given, uses, {
    contexts: { github: state.github, vars: state.vars },
    status: 'success',
  });
  state.options.print(`job ${name}: calls ${uses}`);
  const jobs = await runJobs(state, { plan, inputs, secrets, prefix: `${name} / ` });
  // The called workflow's outputs: on.workflow_call.outputs.<name>.value, reading jobs.<id>.outputs.
  const jobsContext = Object.fromEntries([...jobs].map(([id, r]) => [id, { result: r.result, outputs: r.outputs }]));
  const on = plan.raw.get('on') as { workflow_call?: { outputs?: unknown } } | undefined;
  const outputDefs = (evaluateField(on?.workflow_call?.outputs, {
    contexts: { github: state.github, inputs, jobs: jobsContext, vars: state.vars },
    status: 'success',
  }) ?? {}) as Record<string, { value?: unknown }>;
  const outputs = Object.fromEntries(Object.entries(outputDefs).map(([k, v]) => [k, asText(v?.value)]));
  const results = [...jobs.values()].map((r) => r.result);
  const result: Verdict = results.includes('failure') ? 'failure' : results.includes('cancelled') ? 'cancelled' : 'success';
  state.options.print(`job ${name}: ${result}`);
  return { id: name, name, result, outputs, steps: [] };
}

/** What a job's steps share while it runs. */
interface JobState {
  env: Record<string, string>;
  /** Folders steps added through GITHUB_PATH, newest first. */
  path: string[];
  steps: Record<string, { outputs: Record<string, string>; outcome: Verdict; conclusion: Verdict }>;
  status: RunStatus;
  summary: string[];
  posts: (() => Promise<string>)[];
  contexts: Record<string, unknown>;
  defaults: { shell?: string; 'working-directory'?: string };
  timeoutMinutes: number;
  jobDir: string;
  name: string;
  stepCount: number;
}

async function runJob(
  state: RunState,
  call: WorkflowCall,
  job: JobPlan,
  name: string,
  workflowEnvValues: Record<string, string>,
  contexts: Record<string, unknown>,
): Promise<JobRecord> {
  const started = Date.now();
  state.options.print(`job ${name}`);
  const jobDir = join(state.runDir, slug(name));
  mkdirSync(jobDir, { recursive: true });
  const runner = {
    os: 'Linux',
    arch: process.arch === 'arm64' ? 'ARM64' : 'X64',
    name: 'mlops-local',
    temp: jobDir,
    tool_cache: join(state.stateDir, 'tool-cache'),
    debug: state.debug ? '1' : '',
  };
  const base: Record<string, unknown> = { ...contexts, runner, job: { status: 'success' }, env: workflowEnvValues, steps: {} };
  const scope: ExpressionScope = { contexts: base, status: 'success', hashFiles: (p) => hashFiles(state.workspace, p) };
  const env = { ...workflowEnvValues, ...stringMap(evaluateField(job.raw.get('env'), scope), `jobs.${job.id}.env`) };
  const defaultsOf = (raw: unknown): JobState['defaults'] =>
    (evaluateField(raw, scope) as { run?: JobState['defaults'] } | undefined)?.run ?? {};
  const timeout = Number(evaluateField(job.raw.get('timeout-minutes'), scope) ?? DEFAULT_TIMEOUT_MINUTES);
  const js: JobState = {
    env,
    path: [],
    steps: {},
    status: 'success',
    summary: [],
    posts: [],
    contexts: base,
    defaults: { ...defaultsOf(call.plan.raw.get('defaults')), ...defaultsOf(job.raw.get('defaults')) },
    timeoutMinutes: timeout,
    jobDir,
    name,
    stepCount: 1,
  };
  for (const key of ['services', 'container'] as const) {
    if (job.raw.has(key)) state.options.print(`  note: the job's ${key} are not started locally; its steps run on this machine`);
  }
  const environment = evaluateField(job.raw.get('environment'), scope);
  if (environment)
    state.options.print(
      `  note: environment ${asText(typeof environment === 'object' ? (environment as { name?: unknown }).name : environment)}: its protection rules and secrets are GitHub's; here secrets come from the environment variables`,
    );
  const records: StepRecord[] = [];
  for (const step of job.steps) records.push(await runStep(state, js, step));
  for (const post of js.posts)
    state.options.print(`  post: ${state.masks.apply(await post().catch((e: Error) => `failed: ${e.message}`))}`);
  // Job outputs: evaluated once the steps are done, as the runner does.
  const outputScope: ExpressionScope = {
    contexts: { ...js.contexts, env: js.env, steps: js.steps, job: { status: js.status } },
    status: js.status,
  };
  const outputs = stringMap(evaluateField(job.raw.get('outputs'), outputScope), `jobs.${job.id}.outputs`);
  const result: Verdict = js.status === 'success' ? 'success' : js.status === 'cancelled' ? 'cancelled' : 'failure';
  let summaryFile: string | undefined;
  if (js.summary.some((s) => s.trim())) {
    summaryFile = join(state.runDir, `${slug(name)}.md`);
    writeFileSync(summaryFile, js.summary.join('\n'));
  }
  state.options.print(`job ${name}: ${result} (${seconds(started)})`);
  return { id: name, name, result, outputs, steps: records, summaryFile };
}

function stepName(step: StepPlan, scope: ExpressionScope): string {
  const given = step.raw.get('name');
  if (given !== undefined) return asText(evaluateField(given, scope));
  if (step.uses) return `Run ${step.uses}`;
  return `Run ${(step.run ?? '').trim().split('\n')[0]!.trim()}`;
}

async function runStep(state: RunState, js: JobState, step: StepPlan): Promise<StepRecord> {
  const print = (line: string): void => state.options.print(line);
  const scope: ExpressionScope = {
    contexts: { ...js.contexts, env: js.env, steps: js.steps, job: { status: js.status } },
    status: js.status,
    hashFiles: (p) => hashFiles(state.workspace, p),
  };
  const name = state.masks.apply(stepName(step, scope));
  const record: StepRecord = { id: step.id, name, outcome: 'skipped', conclusion: 'skipped', outputs: {}, annotations: [] };
  const remember = (): StepRecord => {
    js.steps[step.id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.conclusion };
    return record;
  };
  if (!truthy(evaluateExpression(step.if, scope))) {
    record.reason = `if: ${step.if}`;
    print(`  skipped  ${name} (if: ${step.if})`);
    return remember();
  }
  const started = Date.now();
  const stepEnv = { ...js.env, ...stringMap(evaluateField(step.raw.get('env'), scope), `step ${step.id} env`) };
  const stepScope: ExpressionScope = { ...scope, contexts: { ...scope.contexts, env: stepEnv } };
  const continueOnError = truthy(evaluateField(step.raw.get('continue-on-error'), stepScope) ?? false);
  const timeoutMinutes = Number(evaluateField(step.raw.get('timeout-minutes'), stepScope) ?? js.timeoutMinutes);
  const files = createStepFiles(js.jobDir);
  const processEnv: Record<string, string> = {
    ...state.hostEnv,
    ...githubVariables(state, js),
    ...stepEnv,
    ...files,
    PATH: [...js.path, state.hostEnv.PATH ?? '/usr/bin:/bin'].join(delimiter),
  };
  const output = new StepOutput({ masks: state.masks, print, debug: state.debug });
  let ok: boolean;
  let how = '';
  try {
    if (step.run !== undefined) {
      const script = asText(evaluateField(step.run, stepScope));
      const shell = asText(evaluateField(step.raw.get('shell'), stepScope) ?? js.defaults.shell ?? 'bash');
      const folder = asText(evaluateField(step.raw.get('working-directory'), stepScope) ?? js.defaults['working-directory'] ?? '.');
      const cwd = resolve(state.workspace, folder);
      if (!existsSync(cwd)) throw new InputError(`working-directory ${folder} does not exist`);
      const scriptFile = join(js.jobDir, `${slug(step.id)}-${Date.now()}${shell === 'python' ? '.py' : '.sh'}`);
      writeFileSync(scriptFile, script);
      const [program, args] = shellCommand(shell, scriptFile);
      print(`  start    ${name}`);
      const run = await runProcess(program, args, {
        env: processEnv,
        cwd,
        timeoutMs: timeoutMinutes * 60_000,
        onStdout: (chunk) => output.write('stdout', chunk),
        onStderr: (chunk) => output.write('stderr', chunk),
      }).catch((error: NodeJS.ErrnoException) => {
        throw new InputError(error.code === 'ENOENT' ? `shell ${shell}: ${program} is not installed` : error.message);
      });
      ok = run.exitCode === 0;
      how = run.timedOut ? `timed out after ${timeoutMinutes} min` : ok ? '' : `exit code ${run.exitCode}`;
    } else {
      const uses = asText(evaluateField(step.uses, stepScope));
      const given = stringMap(evaluateField(step.raw.get('with'), stepScope), `step ${step.id} with`);
      const known = knownAction(uses);
      const folder = known ? undefined : actionFolder(uses, state.workspace);
      if (known) {
        print(`  start    ${name}`);
        const result = await known({ workspace: state.workspace, stateDir: state.stateDir, with: given, env: processEnv });
        for (const note of result.notes) print(`    ${state.masks.apply(note)}`);
        record.outputs = result.outputs;
        ok = !result.failed;
        if (result.post) js.posts.push(() => result.post!(js.status === 'success'));
      } else if (folder) {
        const metadata = readActionMetadata(folder.dir);
        print(`  start    ${name}${folder.note ? ` (${folder.note})` : ''}`);
        const ran = await runActionFolder(state, js, folder.dir, metadata, given, stepScope, processEnv, output, timeoutMinutes);
        ok = ran.ok;
        how = ran.how;
        record.outputs = ran.outputs ?? {};
        if (ran.skipped) {
          record.reason = ran.how;
          print(`  not run  ${name}: ${ran.how}`);
          state.notRun.push(uses);
          return remember();
        }
      } else {
        record.reason = `${uses} is not run locally (our actions, checkout, setup-node, setup-python, upload/download-artifact and cache are)`;
        print(`  not run  ${name}: ${record.reason}`);
        state.notRun.push(uses);
        return remember();
      }
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    ok = false;
    how = error.message;
  }
  output.end();
  record.annotations = output.annotations;
  if (output.log.length) {
    record.logFile = join(js.jobDir, `${String(js.stepCount++).padStart(2, '0')}-${slug(step.id)}.log`);
    writeFileSync(record.logFile, `${output.log.join('\n')}\n`);
  }
  // What the step wrote to its files: outputs, env and path for the next steps, and its summary.
  try {
    const written = readStepFiles(files);
    record.outputs = { ...record.outputs, ...written.outputs };
    for (const [name, value] of Object.entries(written.env)) js.env[name] = value;
    js.path.unshift(...written.path.reverse());
    if (written.summary.trim()) js.summary.push(written.summary);
  } catch (error) {
    ok = false;
    how = (error as Error).message;
  }
  record.outcome = ok ? 'success' : 'failure';
  record.conclusion = ok || continueOnError ? 'success' : 'failure';
  if (record.conclusion === 'failure') js.status = 'failure';
  const verdict = ok ? 'ok      ' : continueOnError ? 'failed (continue-on-error)' : 'failed  ';
  const log = !ok && record.logFile ? `; log: ${relative(state.workspace, record.logFile)}` : '';
  print(`  ${verdict} ${name} (${seconds(started)}${how ? `; ${state.masks.apply(how)}` : ''}${log})`);
  return remember();
}

/** The GITHUB_* and RUNNER_* variables the runner gives every step. */
function githubVariables(state: RunState, js: JobState): Record<string, string> {
  const g = state.github as Record<string, string>;
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: state.workspace,
    GITHUB_REPOSITORY: g.repository!,
    GITHUB_REPOSITORY_OWNER: g.repository_owner!,
    GITHUB_SHA: g.sha!,
    GITHUB_REF: g.ref!,
    GITHUB_REF_NAME: g.ref_name!,
    GITHUB_REF_TYPE: g.ref_type!,
    GITHUB_HEAD_REF: g.head_ref!,
    GITHUB_BASE_REF: g.base_ref!,
    GITHUB_EVENT_NAME: g.event_name!,
    GITHUB_EVENT_PATH: g.event_path!,
    GITHUB_RUN_ID: g.run_id!,
    GITHUB_RUN_NUMBER: g.run_number!,
    GITHUB_RUN_ATTEMPT: g.run_attempt!,
    GITHUB_ACTOR: g.actor!,
    GITHUB_WORKFLOW: g.workflow!,
    GITHUB_JOB: js.name,
    GITHUB_SERVER_URL: g.server_url!,
    GITHUB_API_URL: g.api_url!,
    GITHUB_GRAPHQL_URL: g.graphql_url!,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_NAME: 'mlops-local',
    RUNNER_TEMP: js.jobDir,
    RUNNER_TOOL_CACHE: join(state.stateDir, 'tool-cache'),
    // Our stages keep their runs, artifacts and caches where this run keeps the others.
    MLOPS_STATE_DIR: state.stateDir,
    ...(state.debug ? { RUNNER_DEBUG: '1' } : {}),
  };
}

/** An action in a folder: a JavaScript action run on Node 24, a composite one step by step; others are not run. */
async function runActionFolder(
  state: RunState,
  js: JobState,
  dir: string,
  metadata: ActionMetadata,
  given: Record<string, string>,
  scope: ExpressionScope,
  env: Record<string, string>,
  output: StepOutput,
  timeoutMinutes: number,
): Promise<{ ok: boolean; how: string; skipped?: boolean; outputs?: Record<string, string> }> {
  const where = relative(state.workspace, dir) || '.';
  // Every declared input: the given value, else its default (which may read github.* and the like).
  const inputs: Record<string, string> = {};
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    if (given[input] !== undefined) inputs[input] = given[input];
    else if (spec.required && spec.default === undefined) throw new InputError(`${where}: input ${input} is required and not given`);
    else inputs[input] = interpolate(String(spec.default ?? ''), scope);
  }
  const unexpected = Object.keys(given).filter((i) => !(i in (metadata.inputs ?? {})));
  if (unexpected.length) {
    output.write(
      'stdout',
      `::warning::Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(metadata.inputs ?? {}).join("', '")}']\n`,
    );
    for (const i of unexpected) inputs[i] = given[i]!;
  }
  if (/^node\d+$/.test(metadata.runs.using)) {
    if (metadata.runs.pre || metadata.runs.post)
      output.write('stdout', `::notice::${where}: its pre and post scripts are not run locally\n`);
    const run = await runNodeAction({
      actionDir: dir,
      metadata,
      inputs,
      env,
      cwd: state.workspace,
      timeoutMs: timeoutMinutes * 60_000,
      onStdout: (chunk) => output.write('stdout', chunk),
      onStderr: (chunk) => output.write('stderr', chunk),
    });
    return {
      ok: run.exitCode === 0,
      how: run.timedOut ? `timed out after ${timeoutMinutes} min` : run.exitCode === 0 ? '' : `exit code ${run.exitCode}`,
    };
  }
  if (metadata.runs.using === 'composite') return runComposite(state, js, dir, metadata, inputs, scope);
  return { ok: true, how: `${where} is a ${metadata.runs.using} action, which is not run locally`, skipped: true };
}

/** A composite action's steps, each with the inputs context, its outputs the action's `outputs.<name>.value`. */
async function runComposite(
  state: RunState,
  js: JobState,
  dir: string,
  metadata: ActionMetadata,
  inputs: Record<string, string>,
  scope: ExpressionScope,
): Promise<{ ok: boolean; how: string; outputs: Record<string, string> }> {
  const inner: JobState = {
    ...js,
    steps: {},
    env: { ...js.env },
    contexts: { ...js.contexts, inputs },
    status: 'success',
    posts: js.posts,
  };
  const steps = (metadata.runs.steps ?? []) as Record<string, unknown>[];
  for (const [index, raw] of steps.entries()) {
    const plan: StepPlan = {
      id: typeof raw.id === 'string' ? raw.id : `__composite_${index}`,
      if: compositeCondition(raw.if),
      raw: new Map(Object.entries(raw)),
    };
    if (typeof raw.uses === 'string') plan.uses = raw.uses;
    if (raw.run !== undefined) plan.run = String(raw.run);
    await runStep(state, inner, plan);
  }
  js.summary.push(...inner.summary.filter((s) => !js.summary.includes(s)));
  // GITHUB_ENV and GITHUB_PATH written inside the composite reach the job's next steps, as on the runner.
  Object.assign(js.env, inner.env);
  js.path = inner.path;
  js.stepCount = inner.stepCount;
  const outputScope: ExpressionScope = { ...scope, contexts: { ...scope.contexts, inputs, steps: inner.steps }, status: inner.status };
  const outputs = Object.fromEntries(
    Object.entries(metadata.outputs ?? {}).map(([k, v]) => [k, asText(evaluateField(v.value, outputScope))]),
  );
  return { ok: inner.status === 'success', how: inner.status === 'success' ? '' : 'a step of the composite action failed', outputs };
}
