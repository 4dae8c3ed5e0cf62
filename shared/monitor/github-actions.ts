// monitor-gate's GitHub side, through shared/github: `retrain` dispatches the retrain workflow (with a
// cooldown read from GitHub's own record of recent dispatched runs), `issue` keeps one issue per
// monitored model in line with its health (opened or updated while failing, closed when it passes).
import { InputError, ServiceError } from '../errors.js';
import type { GitHubAccess } from '../runtime/port.js';

/** What `retrain` did: dispatched (with the run when GitHub names it) or skipped within the cooldown. */
export interface RetrainOutcome {
  dispatched: { workflow?: string; eventType?: string; ref?: string; run?: string } | null;
  skipped?: string;
  /** In words, for the report. */
  done: string;
}

/** `retrain-workflow`: a workflow file (workflow_dispatch) or `repository_dispatch:<event-type>`. */
export async function dispatchRetrain(
  access: GitHubAccess,
  options: {
    workflow: string;
    ref: string;
    inputs: Record<string, string>;
    payload: Record<string, unknown>;
    cooldownMs: number;
  },
): Promise<RetrainOutcome> {
  if ('unavailable' in access) throw new ServiceError('GitHub', `cannot dispatch ${options.workflow}: ${access.unavailable}`);
  const { dispatchWorkflow } = await import('../github/workflow-dispatch.js');
  const repository = access.repository;
  const repositoryDispatch = /^repository_dispatch:(.+)$/.exec(options.workflow);
  const target = repositoryDispatch
    ? { eventType: repositoryDispatch[1]!, clientPayload: options.payload }
    : { workflow: options.workflow, ref: options.ref, inputs: options.inputs };
  const result = await dispatchWorkflow(access.client, target, { ...repository, cooldownMs: options.cooldownMs });
  if ('skipped' in result) return { dispatched: null, skipped: result.skipped, done: `retrain not dispatched: ${result.skipped}` };
  return {
    dispatched: {
      ...(repositoryDispatch ? { eventType: repositoryDispatch[1]! } : { workflow: options.workflow, ref: options.ref }),
      ...(result.run ? { run: result.run.url } : {}),
    },
    done: `dispatched ${result.dispatched}`,
  };
}

/** Opens, updates or closes the model's one monitor issue; returns its URL and what was done. */
export async function syncIssue(
  access: GitHubAccess,
  options: { label: string; model: string; title: string; body: string; healthy: boolean; fullReportHint?: string },
): Promise<{ url: string; done?: string }> {
  if ('unavailable' in access) throw new ServiceError('GitHub', `cannot keep the monitor issue: ${access.unavailable}`);
  const { syncMonitorIssue } = await import('../github/monitor-issue.js');
  const marker = `monitor-gate/${options.model.replace(/[^A-Za-z0-9._:/-]/g, '-')}`;
  const result = await syncMonitorIssue(access.client, {
    ...access.repository,
    label: options.label,
    marker,
    title: options.title,
    body: options.body,
    healthy: options.healthy,
    ...(options.fullReportHint ? { fullReportHint: options.fullReportHint } : {}),
    labelDescription: 'monitor-gate: a deployed model is unhealthy',
  });
  if (result.action === 'none') return { url: '' };
  return { url: result.url ?? '', done: `${result.action} issue #${result.number ?? ''} (${result.url ?? ''})` };
}

/** Workflow inputs from `retrain-inputs` (a map of names to scalars), as strings. */
export function retrainInputs(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError("input 'retrain-inputs': expected a map of input names to values, e.g. {reason: drift}");
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
