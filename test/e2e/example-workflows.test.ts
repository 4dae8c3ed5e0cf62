// Every workflow of workflows-examples/penguins-node run through `mlops workflow run` for its events, on a
// copy of the example, on embedded defaults (an OCI layout under .mlops/registry, the process deploy target
// on 127.0.0.1), with the GitHub API double as GITHUB_API_URL. `npm ci` runs as written, offline
// (npm_config_offline): the example's lockfile resolves to tarballs already in this machine's npm cache.
// Checked after each run: the jobs' results and outputs, the registry's versions and aliases, what answers
// on the deployment's port, and what the double received (comments, deployments, dispatches, issues).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowRunResult } from '../../shared/workflow/run-workflow.js';
import type { GitHubDouble } from '../github-double/server.js';
import {
  jobLog,
  jobResults as results,
  OFFLINE_NPM,
  openExampleProject,
  sendTraffic as sendRequests,
  stepOf,
  type ExampleProject,
} from './example-project.js';

const OWNER = 'acme';
const REPO = 'penguins';
const TOKEN = 'ghs_exampleWorkflowsTest';
const HEAD_SHA = 'c0ffee0000000000000000000000000000000007';
const PENGUIN = { shape: [1, 4], data: [46.5, 17.9, 192, 3500] };

let example: ExampleProject;
let project: string;
let port: number;
let double: GitHubDouble;
let printed: string[];

const run = (file: string, event: string, payload: Record<string, unknown>, env?: Record<string, string>): Promise<WorkflowRunResult> =>
  example.run(file, event, payload, env);
const tags = (): Promise<Record<string, string>> => example.tags('penguins');
/** The version that answers one penguin on the deployment's stable port. */
const served = (): Promise<string> => example.served('penguins', PENGUIN);

/** Traffic from the example's load test, sent by the test itself (a scheduled monitor watches real traffic), until stopped. */
function sendTraffic(): { stop: () => Promise<number> } {
  return sendRequests(port, '/invocations', readFileSync(join(project, 'load-test.jsonl'), 'utf8').trim().split('\n'));
}

beforeAll(async () => {
  example = await openExampleProject({
    example: 'penguins-node',
    owner: OWNER,
    repo: REPO,
    token: TOKEN,
    env: OFFLINE_NPM,
  });
  ({ project, port, double, printed } = example);
  double.addWorkflow({ owner: OWNER, repo: REPO, file: 'retrain.yml', name: 'retrain', inputs: ['stage'] });
  double.addPullRequest({ owner: OWNER, repo: REPO, number: 7, title: 'Fewer epochs', headRef: 'fewer-epochs', headSha: HEAD_SHA });
});

afterAll(async () => {
  await example?.close();
});

describe('the penguins-node example workflows, run by mlops workflow run', () => {
  it('pull_request (pr-evaluation.yml), then workflow_run (pr-evaluation-comment.yml): the report is computed, uploaded, and posted once, updated in place', async () => {
    const pr = await run('pr-evaluation.yml', 'pull_request', {
      number: 7,
      pull_request: { number: 7, head: { sha: HEAD_SHA, ref: 'fewer-epochs' }, base: { ref: 'main' } },
    });
    expect(results(pr)).toEqual([['evaluate', 'success']]);
    const loop = stepOf(pr, 'evaluate', 'loop');
    expect(loop.outputs.passed).toBe('true');
    expect(JSON.parse(loop.outputs.steps!).map((s: { step: string; status: string }) => `${s.step} ${s.status}`)).toEqual([
      'validate-data passed',
      'train passed',
      'evaluate passed',
      'register skipped',
      'deploy skipped',
      'monitor-gate skipped',
      'promote skipped',
    ]);
    expect(existsSync(join(project, '.mlops', 'artifacts', 'pr-evaluation', 'loop.md'))).toBe(true);
    expect(existsSync(join(project, '.mlops', 'registry', 'penguins'))).toBe(false);

    const payload = {
      workflow_run: {
        id: 4242,
        event: 'pull_request',
        head_sha: HEAD_SHA,
        conclusion: 'success',
        html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/4242`,
      },
    };
    const comment = await run('pr-evaluation-comment.yml', 'workflow_run', payload);
    expect(results(comment)).toEqual([['comment', 'success']]);
    expect(printed.join('\n')).toMatch(/Commented on pull request #7\./);
    const posted = double.comments(OWNER, REPO, 7);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatch(/^# mlops run \(pull_request\): passed$/m);
    expect(posted[0]!.body).toMatch(/^\| evaluate \| ✔ passed \| against baseline\/predictions\.csv/m);
    // evaluate's own summary (its verdict, metrics and gates) follows the table.
    expect(posted[0]!.body).toMatch(/^### evaluate: ✅ pass/m);
    expect(posted[0]!.body.endsWith('<!-- mlops-pr-evaluation -->\n')).toBe(true);
    // Again: the same comment, updated.
    await run('pr-evaluation-comment.yml', 'workflow_run', payload);
    expect(printed.join('\n')).toMatch(/Updated the comment on pull request #7\./);
    expect(double.comments(OWNER, REPO, 7)).toHaveLength(1);
    expect(double.violations).toEqual([]);
  }, 400_000);

  it('workflow_dispatch (retrain.yml): the whole loop; monitor-gate watches v1 on the live endpoint and promotes it', async () => {
    const dispatch = await run('retrain.yml', 'workflow_dispatch', { inputs: { stage: '' }, ref: 'refs/heads/main' });
    expect(results(dispatch)).toEqual([['loop', 'success']]);
    const loop = stepOf(dispatch, 'loop', 'loop');
    expect(loop.outputs.promoted).toBe('v1');
    const steps = JSON.parse(loop.outputs.steps!) as { step: string; status: string; why: string }[];
    // The pull request trained the same data, code and params: train's outputs come from its cache.
    expect(steps.map((s) => `${s.step} ${s.status}`)).toEqual([
      'validate-data passed',
      'train restored',
      'evaluate passed',
      'register passed',
      'deploy passed',
      'monitor-gate passed',
      'promote passed',
    ]);
    expect(steps.at(-1)!.why).toMatch(/^monitor-gate passed and promoted: production → v1/);
    const registry = await tags();
    expect({ staging: registry.staging, production: registry.production }).toEqual({ staging: registry.v1, production: registry.v1 });
    expect(await served()).toBe('v1');
    // deploy's GitHub Deployment, in the environment the loop names.
    const deployments = double.deployments(OWNER, REPO);
    expect(deployments.length).toBeGreaterThanOrEqual(1);
    expect(deployments[0]).toMatchObject({ environment: 'production' });
    expect(double.violations).toEqual([]);
  }, 400_000);

  it('schedule (retrain.yml) on the same data: no drift against production, nothing retrained', async () => {
    const before = await tags();
    const schedule = await run('retrain.yml', 'schedule', { schedule: '23 5 * * 1' });
    const steps = JSON.parse(stepOf(schedule, 'loop', 'loop').outputs.steps!) as { step: string; status: string }[];
    expect(steps.map((s) => `${s.step} ${s.status}`)).toEqual([
      'validate-data passed',
      'train skipped',
      'evaluate skipped',
      'register skipped',
      'deploy skipped',
      'monitor-gate skipped',
      'promote skipped',
    ]);
    expect(await tags()).toEqual(before);
  }, 400_000);

  it('workflow_dispatch (retrain.yml) with new params: v2 as a 20 % canary, compared with v1 by monitor-gate, promoted', async () => {
    const params = join(project, 'params.yaml');
    writeFileSync(params, readFileSync(params, 'utf8').replace(/^epochs: 300/m, 'epochs: 250'));
    const dispatch = await run('retrain.yml', 'workflow_dispatch', { inputs: { stage: '' }, ref: 'refs/heads/main' });
    const loop = stepOf(dispatch, 'loop', 'loop');
    expect(loop.outputs.promoted).toBe('v2');
    const log = readFileSync(loop.logFile!, 'utf8');
    expect(log).toMatch(/now sends 20 % of new connections to v2/);
    expect(log).toMatch(/Analysing penguins v2 against stable v1/);
    const registry = await tags();
    expect(registry.v2).not.toBe(registry.v1);
    expect(registry.production).toBe(registry.v2);
    for (let i = 0; i < 5; i++) expect(await served()).toBe('v2');
  }, 400_000);

  it('workflow_dispatch (monitor.yml) with traffic of one species: drift fails the analysis; production rolls back to v1, retrain.yml is dispatched, one issue opened', async () => {
    // Gentoo penguins only: another population of the same data set than the one v2 was trained on.
    const all = readFileSync(join(project, 'load-test.jsonl'), 'utf8').trim().split('\n');
    const gentoo = all.filter(
      (line) => (JSON.parse(line) as { dataframe_records: { flipper_length_mm: number }[] }).dataframe_records[0]!.flipper_length_mm >= 210,
    );
    writeFileSync(join(project, 'gentoo.jsonl'), `${gentoo.join('\n')}\n`);
    const monitor = await run(
      'monitor.yml',
      'workflow_dispatch',
      {
        inputs: { endpoint: `http://127.0.0.1:${port}`, model: '.mlops/registry/penguins@production', 'load-test': 'gentoo.jsonl' },
        ref: 'refs/heads/main',
      },
      { VARS_MONITOR_INTERVAL: '4s', VARS_MONITOR_COUNT: '2' },
    );
    const gate = stepOf(monitor, 'monitor', 'gate');
    expect({ verdict: gate.outputs.verdict, decision: gate.outputs.decision }).toEqual({ verdict: 'fail', decision: 'rollback' });
    expect(JSON.parse(gate.outputs['drifted-columns']!)).toEqual(expect.arrayContaining(['flipper_length_mm']));
    const registry = await tags();
    expect(registry.production).toBe(registry.v1);
    expect(await served()).toBe('v1');
    const runs = double.workflowRuns(OWNER, REPO);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ event: 'workflow_dispatch', ref: 'main' });
    const issues = double.issues(OWNER, REPO).filter((i) => !i.isPullRequest);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: 'open', labels: ['mlops-monitor'] });
    expect(gate.outputs['issue-url']).toBe(`https://github.com/${OWNER}/${REPO}/issues/${issues[0]!.number}`);
    expect(double.violations).toEqual([]);
  }, 400_000);

  it('schedule (monitor.yml) on the repository variables, with healthy traffic: the analysis passes, the issue is closed', async () => {
    const traffic = sendTraffic();
    let monitor: WorkflowRunResult;
    try {
      monitor = await run(
        'monitor.yml',
        'schedule',
        { schedule: '41 */6 * * *' },
        {
          VARS_PENGUINS_ENDPOINT: `http://127.0.0.1:${port}`,
          VARS_PENGUINS_MODEL: '.mlops/registry/penguins@production',
          VARS_MONITOR_INTERVAL: '4s',
          VARS_MONITOR_COUNT: '2',
        },
      );
    } finally {
      expect(await traffic.stop()).toBeGreaterThan(20);
    }
    const gate = stepOf(monitor, 'monitor', 'gate');
    expect({ verdict: gate.outputs.verdict, decision: gate.outputs.decision }).toEqual({ verdict: 'pass', decision: 'hold' });
    expect(
      double
        .issues(OWNER, REPO)
        .filter((i) => !i.isPullRequest)
        .map((i) => i.state),
    ).toEqual(['closed']);
    expect(double.workflowRuns(OWNER, REPO)).toHaveLength(1);
    expect(await served()).toBe('v1');
    expect(double.violations).toEqual([]);
  }, 400_000);
  it('push (ml-pipeline.yml): the reusable workflow, one job per stage; monitor-gate compares the v2 canary with v1, and promotes it', async () => {
    const push = await run('ml-pipeline.yml', 'push', { ref: 'refs/heads/main', after: 'c0ffee00000000000000000000000000000000aa' });
    expect(results(push)).toEqual([
      ...['validate-data', 'train', 'evaluate', 'register', 'deploy', 'monitor-gate', 'promote'].map((job) => [`loop / ${job}`, 'success']),
      ['loop', 'success'],
    ]);
    expect(jobLog(push, 'loop / monitor-gate')).toMatch(/Analysing penguins v2 against stable v1/);
    expect(push.jobs.find((j) => j.name === 'loop / promote')!.outputs.promoted).toBe('v2');
    const registry = await tags();
    expect(registry.production).toBe(registry.v2);
    for (let i = 0; i < 5; i++) expect(await served()).toBe('v2');
    expect(double.violations).toEqual([]);
  }, 600_000);
});
