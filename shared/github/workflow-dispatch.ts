// Starting another workflow (monitor-gate's `retrain`): a workflow_dispatch of one workflow, or a
// repository_dispatch event, with a cooldown read from GitHub itself (the runs such a dispatch
// created), so no state of our own can be lost between scheduled runs.
import { InputError, ServiceError } from '../errors.js';
import type { GitHubClient } from './client.js';

/** `workflow_dispatch` of one workflow (its file name under .github/workflows/, or its id) on a branch or tag. */
export interface WorkflowDispatchTarget {
  workflow: string | number;
  ref: string;
  /** The workflow's `on.workflow_dispatch.inputs`; at most 25. */
  inputs?: Record<string, string | number | boolean>;
}

/**
 * A `repository_dispatch` event: every workflow with `on: repository_dispatch` (of this type) runs.
 * `workflow`, when given, is the workflow whose runs the cooldown looks at; without it, any
 * repository_dispatch run of the repository counts (GitHub's runs do not say the event type).
 */
export interface RepositoryDispatchTarget {
  eventType: string;
  /** At most 10 top-level properties and 64 KB of JSON. */
  clientPayload?: Record<string, unknown>;
  workflow?: string | number;
}

export type DispatchTarget = WorkflowDispatchTarget | RepositoryDispatchTarget;

export interface DispatchOptions {
  owner: string;
  repo: string;
  /** No dispatch when a run of this kind was created within this many ms before `now`; 0 turns the check off. */
  cooldownMs: number;
  /** The time the cooldown is measured from (ms since the epoch, or a Date); default now. */
  now?: number | Date;
}

/** A workflow run GitHub reports. */
export interface DispatchedRun {
  id: number;
  url: string;
  createdAt?: string;
}

/**
 * `dispatched`: what was triggered, in words (`workflow retrain.yml on main (run 42: https://…)`), and the run
 * when GitHub names it. `skipped`: why not: the run within the cooldown, in words, and that run.
 */
export type DispatchResult = { dispatched: string; run?: DispatchedRun } | { skipped: string; run: DispatchedRun };

const MAX_INPUTS = 25;
const MAX_PAYLOAD_PROPERTIES = 10;
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Runs read to find the newest; GitHub lists newest first, so the first page holds it. */
const RUNS_PER_PAGE = 20;

interface RunJson {
  id: number;
  html_url: string;
  created_at: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  run_number: number;
  name?: string | null;
  path?: string;
  actor?: { login?: string } | null;
}

/**
 * Dispatches `target` unless a run of the same kind (the workflow's workflow_dispatch runs, or the
 * repository_dispatch runs) was created within `cooldownMs` before `now`; then it returns `skipped`,
 * naming that run. Throws InputError for targets GitHub would refuse before sending them (too many
 * inputs, an event type over 100 characters), ServiceError when GitHub refuses or fails: a 404
 * workflow, a 422 bad ref or unknown input (GitHub's own message), a 403 token without the permission
 * (named), a 5xx after retries. When the runs cannot be listed nothing is dispatched (fail closed).
 */
export async function dispatchWorkflow(client: GitHubClient, target: DispatchTarget, options: DispatchOptions): Promise<DispatchResult> {
  const { owner, repo } = options;
  const repository = `${owner}/${repo}`;
  checkTarget(target);
  if (!(Number.isFinite(options.cooldownMs) && options.cooldownMs >= 0))
    throw new InputError(`cooldown ${options.cooldownMs} ms is not valid: expected a non-negative number of milliseconds`);
  const now = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  const workflowDispatch = 'ref' in target;
  const event = workflowDispatch ? 'workflow_dispatch' : 'repository_dispatch';
  const workflow = target.workflow;
  const what = workflowDispatch
    ? `workflow ${target.workflow} on ${target.ref}`
    : `repository_dispatch ${JSON.stringify(target.eventType)}`;

  if (options.cooldownMs > 0) {
    const since = now - options.cooldownMs;
    const step =
      workflow === undefined
        ? `listing the repository_dispatch runs of ${repository}`
        : `listing the ${event} runs of workflow ${workflow} in ${repository}`;
    let runs: RunJson[];
    try {
      const { data } =
        workflow === undefined
          ? await client.rest.actions.listWorkflowRunsForRepo({ owner, repo, event, per_page: RUNS_PER_PAGE })
          : await client.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: workflow, event, per_page: RUNS_PER_PAGE });
      runs = (data as { workflow_runs?: RunJson[] } | undefined)?.workflow_runs as RunJson[];
      if (!Array.isArray(runs))
        throw new ServiceError('GitHub', `the answer has no workflow_runs list (${JSON.stringify(data)?.slice(0, 200)})`);
    } catch (error) {
      throw failure(step, error, { repository, workflow, event });
    }
    const recent = runs
      .map((run) => ({ run, created: Date.parse(run.created_at) }))
      .filter(({ created }) => Number.isFinite(created) && created >= since)
      .sort((a, b) => b.created - a.created)[0];
    if (recent) {
      const { run, created } = recent;
      const by = run.actor?.login ? ` by ${run.actor.login}` : '';
      const state = run.conclusion ?? run.status ?? 'unknown';
      return {
        skipped:
          `run ${run.id} (${run.path?.split('/').pop() ?? run.name ?? 'workflow'} #${run.run_number}, ${run.event}${by}, ${state}) ` +
          `was created ${formatAge(now - created)} ago, at ${run.created_at}, within the cooldown of ${formatAge(options.cooldownMs)}: ` +
          `${what} not dispatched (${run.html_url})`,
        run: { id: run.id, url: run.html_url, createdAt: run.created_at },
      };
    }
  }

  if (workflowDispatch) {
    const step = `dispatching workflow ${target.workflow} on ${target.ref} in ${repository}`;
    let data: unknown;
    try {
      ({ data } = await client.rest.actions.createWorkflowDispatch({
        owner,
        repo,
        workflow_id: target.workflow,
        ref: target.ref,
        ...(target.inputs ? { inputs: target.inputs } : {}),
        // GitHub then names the run it created (older servers ignore it and answer 204).
        return_run_details: true,
      }));
    } catch (error) {
      throw failure(step, error, { repository, workflow: target.workflow, event, ref: target.ref });
    }
    const details = data as { workflow_run_id?: unknown; html_url?: unknown } | undefined;
    if (typeof details?.workflow_run_id === 'number' && typeof details.html_url === 'string') {
      return {
        dispatched: `${what} (run ${details.workflow_run_id}: ${details.html_url})`,
        run: { id: details.workflow_run_id, url: details.html_url },
      };
    }
    return { dispatched: what };
  }

  const step = `sending repository_dispatch ${JSON.stringify(target.eventType)} to ${repository}`;
  try {
    await client.rest.repos.createDispatchEvent({
      owner,
      repo,
      event_type: target.eventType,
      ...(target.clientPayload ? { client_payload: target.clientPayload } : {}),
    });
  } catch (error) {
    throw failure(step, error, { repository, event });
  }
  return { dispatched: what };
}

/** Throws InputError for what GitHub refuses outright, naming the limit. */
function checkTarget(target: DispatchTarget): void {
  if ('ref' in target) {
    if (typeof target.workflow === 'string' ? target.workflow.trim() === '' : !(Number.isInteger(target.workflow) && target.workflow > 0))
      throw new InputError(
        `workflow ${JSON.stringify(target.workflow)} is not valid: expected a file name such as retrain.yml, or a workflow id`,
      );
    if (typeof target.ref !== 'string' || target.ref.trim() === '')
      throw new InputError(`ref ${JSON.stringify(target.ref)} is not valid: expected a branch or tag name`);
    const names = Object.keys(target.inputs ?? {});
    if (names.length > MAX_INPUTS)
      throw new InputError(`${names.length} workflow inputs given (${names.join(', ')}); GitHub takes at most ${MAX_INPUTS}`);
    for (const [name, value] of Object.entries(target.inputs ?? {})) {
      if (!['string', 'number', 'boolean'].includes(typeof value))
        throw new InputError(`workflow input ${name} is ${JSON.stringify(value)}: expected a string, number or boolean`);
    }
    return;
  }
  if (typeof target.eventType !== 'string' || target.eventType.length < 1 || target.eventType.length > 100)
    throw new InputError(`repository_dispatch event type ${JSON.stringify(target.eventType)} is not valid: expected 1 to 100 characters`);
  if (target.clientPayload !== undefined) {
    const keys = Object.keys(target.clientPayload);
    if (keys.length > MAX_PAYLOAD_PROPERTIES)
      throw new InputError(
        `repository_dispatch client payload has ${keys.length} top-level properties (${keys.join(', ')}); GitHub takes at most ${MAX_PAYLOAD_PROPERTIES}`,
      );
    const bytes = Buffer.byteLength(JSON.stringify(target.clientPayload));
    if (bytes >= MAX_PAYLOAD_BYTES)
      throw new InputError(`repository_dispatch client payload is ${bytes} bytes of JSON; GitHub takes less than ${MAX_PAYLOAD_BYTES}`);
  }
}

/** `42 s`, `12 min`, `3.5 h`, `2 d`. */
function formatAge(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/** The HTTP status of an Octokit RequestError, undefined for network failures and other errors. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

/** A ServiceError naming the step, the status and what to check. */
function failure(
  step: string,
  error: unknown,
  context: { repository: string; workflow?: string | number; event: string; ref?: string },
): ServiceError {
  if (error instanceof ServiceError)
    return new ServiceError('GitHub', `${step} failed: ${error.message.replace(/^GitHub: /, '')}`, { cause: error });
  const status = httpStatus(error);
  // Octokit's message is GitHub's, followed by " - <documentation url>".
  const message = (error instanceof Error ? error.message : String(error)).replace(/ - https:\/\/docs\.github\.com\S*$/, '');
  const permission = context.event === 'workflow_dispatch' ? '`actions: write`' : '`contents: write`';
  let hint = '';
  if (status === 404)
    hint =
      context.workflow === undefined
        ? `: ${context.repository} was not found, or the token cannot see it`
        : `: there is no workflow ${context.workflow} in ${context.repository} (a file name under .github/workflows/, e.g. retrain.yml, or a workflow id), or the token cannot see it`;
  else if (status === 422 && context.ref !== undefined)
    hint = `: check that ${context.ref} is a branch or tag of ${context.repository}, that the workflow has an on.workflow_dispatch trigger and declares every input sent`;
  else if (status === 403 || status === 401) hint = `: the token needs ${permission} (permissions: { actions: write, contents: write })`;
  else if (status !== undefined && status >= 500) hint = ' after retries';
  return new ServiceError('GitHub', `${step} failed${status ? ` with ${status}` : ''} (${message})${hint}`, { cause: error });
}
