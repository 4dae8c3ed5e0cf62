import { defineAction, type InputsOf } from './action-spec.js';

/** The root action (`uses: mlops-actions/mlops-actions@<ref>`): the whole loop of mlops.yml in one step. */
export const loopSpec = defineAction({
  name: 'loop',
  title: 'mlops loop',
  description:
    "The whole ML loop of a repository in one step, driven by mlops.yml: for the run's event, validate-data, train and evaluate against production (pull_request); then register, deploy a canary, monitor-gate and promote or roll back (push); retrain on drift or age (schedule); from one stage on (workflow_dispatch). Runs `mlops run`.",
  inputs: {
    config: {
      description: "The loop's file, relative to the workspace; paths in it are relative to its folder.",
      default: 'mlops.yml',
      schema: { type: 'string', minLength: 1 },
    },
    event: {
      description:
        "Run the loop of this event instead of the run's own (GITHUB_EVENT_NAME): `pull_request`, `push`, `schedule` or `workflow_dispatch`.",
      schema: { type: 'string', enum: ['pull_request', 'push', 'schedule', 'workflow_dispatch'] },
    },
    from: {
      description:
        "Start at this step (a stage, or `promote`); the steps before it are skipped and their outputs read from mlops.yml and the registry. Default on workflow_dispatch: the event's `stage` input.",
      schema: { type: 'string', minLength: 1 },
    },
    to: {
      description:
        'Stop after this step: with `from` the same, one stage alone (a job of the reusable workflow), fed by the outputs the last loop in the state folder kept.',
      schema: { type: 'string', minLength: 1 },
    },
    dry: {
      description: 'Only print the plan: per step whether it would run, be restored from the cache or be skipped, and which gates decide.',
      default: 'false',
      schema: { type: 'boolean' },
    },
    comment: {
      description:
        "`never` keeps evaluate from commenting on the pull request whatever mlops.yml says: for a workflow whose token is read-only (a fork's pull request), whose report a separate `workflow_run` job posts.",
      default: 'auto',
      schema: { type: 'string', enum: ['auto', 'never'] },
    },
    'github-token': {
      description:
        "Token the stages use (evaluate's pull-request comment, deploy's GitHub Deployment, ghcr.io), unless mlops.yml gives them one.",
      default: '${{ github.token }}',
      schema: { type: 'string' },
    },
  },
  outputs: {
    passed: { description: "'true' when every step that ran passed." },
    promoted: { description: 'The version promoted to the production alias in this run (empty when none was).' },
    report: { description: "Path to the loop's report (Markdown): the steps, why each ran or not, and each stage's summary." },
    steps: { description: 'JSON array of the steps: `step`, `status` (passed, restored, failed, skipped) and `why`.' },
  },
});

export type LoopInputs = InputsOf<typeof loopSpec>;
