// Every workflow of workflows-examples/digits-torch (PyTorch, trained by Debian's /usr/bin/python3 with torch
// and scikit-learn, exported to ONNX) run through `mlops workflow run` for its events, on a copy of the
// example, on embedded defaults (an OCI layout under .mlops/registry, the process deploy target on
// 127.0.0.1), with the GitHub API double as GITHUB_API_URL. The workflows' install step installs PyTorch and
// scikit-learn only when /usr/bin/python3 lacks them; here it has them (python3-torch, python3-sklearn), so
// nothing is installed and nothing leaves the machine. Checked after each run: the jobs' results and outputs,
// the registry's versions and aliases, what answers on the deployment's port, and what the double received
// (comments, deployments, dispatches, issues).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowRunResult } from '../../shared/workflow/run-workflow.js';
import { jobLog, jobResults, openExampleProject, sendTraffic, stepOf, type ExampleProject } from './example-project.js';

const OWNER = 'acme';
const REPO = 'digits';
const TOKEN = 'ghs_exampleWorkflowsDigitsTest';
const HEAD_SHA = 'c0ffee00000000000000000000000000000000d1';

let example: ExampleProject;
let requests: string[];
/** One held-out digit, as the load test sends it. */
let digit: { shape: number[]; data: number[] };

const served = (): Promise<string> => example.served('digits', digit);
const stepsOf = (outputs: Record<string, string>): string[] =>
  (JSON.parse(outputs.steps!) as { step: string; status: string }[]).map((s) => `${s.step} ${s.status}`);

beforeAll(async () => {
  example = await openExampleProject({ example: 'digits-torch', owner: OWNER, repo: REPO, token: TOKEN });
  example.double.addWorkflow({ owner: OWNER, repo: REPO, file: 'retrain.yml', name: 'retrain', inputs: ['stage'] });
  example.double.addPullRequest({ owner: OWNER, repo: REPO, number: 3, title: 'Wider layer', headRef: 'wider', headSha: HEAD_SHA });
  requests = readFileSync(join(example.project, 'load-test.jsonl'), 'utf8').trim().split('\n');
  digit = (JSON.parse(requests[0]!) as { inputs: { shape: number[]; data: number[] }[] }).inputs[0]!;
});

afterAll(async () => {
  await example?.close();
});

describe('the digits-torch example workflows, run by mlops workflow run', () => {
  it('pull_request (pr-evaluation.yml), then workflow_run (pr-evaluation-comment.yml): trained with PyTorch, evaluated, the report posted once and updated in place', async () => {
    const pr = await example.run('pr-evaluation.yml', 'pull_request', {
      number: 3,
      pull_request: { number: 3, head: { sha: HEAD_SHA, ref: 'wider' }, base: { ref: 'main' } },
    });
    expect(jobResults(pr)).toEqual([['evaluate', 'success']]);
    // /usr/bin/python3 has torch and scikit-learn: the install step checks and installs nothing.
    expect(jobLog(pr, 'evaluate')).not.toMatch(/apt-get|sudo/);
    const loop = stepOf(pr, 'evaluate', 'loop');
    expect(loop.outputs.passed).toBe('true');
    expect(stepsOf(loop.outputs)).toEqual([
      'validate-data skipped',
      'train passed',
      'evaluate passed',
      'register skipped',
      'deploy skipped',
      'monitor-gate skipped',
      'promote skipped',
    ]);
    expect(existsSync(join(example.project, 'model', 'model.onnx'))).toBe(true);
    expect(existsSync(join(example.project, '.mlops', 'artifacts', 'pr-evaluation'))).toBe(true);
    expect(existsSync(join(example.project, '.mlops', 'registry', 'digits'))).toBe(false);

    const payload = {
      workflow_run: {
        id: 5151,
        event: 'pull_request',
        head_sha: HEAD_SHA,
        conclusion: 'success',
        html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/5151`,
      },
    };
    const comment = await example.run('pr-evaluation-comment.yml', 'workflow_run', payload);
    expect(jobResults(comment)).toEqual([['comment', 'success']]);
    expect(example.printed.join('\n')).toMatch(/Commented on pull request #3\./);
    const posted = example.double.comments(OWNER, REPO, 3);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatch(/^# mlops run \(pull_request\): passed$/m);
    expect(posted[0]!.body).toMatch(/^### evaluate: ✅ pass/m);
    // No production model yet: the rule against the baseline is left out (the log says so), the other decides.
    expect(jobLog(pr, 'evaluate')).toMatch(/no production model and no baseline yet: 1 rule\(s\) against the baseline left out/);
    expect(posted[0]!.body).toMatch(/^- ✅ \*\*pass\*\* — accuracy \\>= 0\.95: /m);
    expect(posted[0]!.body).not.toMatch(/f1\\_macro \\>= baseline/);
    expect(posted[0]!.body.endsWith('<!-- mlops-pr-evaluation -->\n')).toBe(true);
    await example.run('pr-evaluation-comment.yml', 'workflow_run', payload);
    expect(example.printed.join('\n')).toMatch(/Updated the comment on pull request #3\./);
    expect(example.double.comments(OWNER, REPO, 3)).toHaveLength(1);
    expect(example.double.violations).toEqual([]);
  }, 400_000);

  it('workflow_dispatch (retrain.yml): the whole loop; the ONNX model serves as v1 and is promoted to production', async () => {
    const dispatch = await example.run('retrain.yml', 'workflow_dispatch', { inputs: { stage: '' }, ref: 'refs/heads/main' });
    expect(jobResults(dispatch)).toEqual([['loop', 'success']]);
    const loop = stepOf(dispatch, 'loop', 'loop');
    expect(loop.outputs.promoted).toBe('v1');
    // The pull request trained the same code and params: train's outputs come from its cache.
    expect(stepsOf(loop.outputs)).toEqual([
      'validate-data skipped',
      'train restored',
      'evaluate passed',
      'register passed',
      'deploy passed',
      'monitor-gate passed',
      'promote passed',
    ]);
    expect(jobLog(dispatch, 'loop')).toMatch(/^promoted v1; the report is /m);
    const registry = await example.tags('digits');
    expect({ staging: registry.staging, production: registry.production }).toEqual({ staging: registry.v1, production: registry.v1 });
    expect(await served()).toBe('v1');
    const deployments = example.double.deployments(OWNER, REPO);
    expect(deployments.length).toBeGreaterThanOrEqual(1);
    expect(deployments[0]).toMatchObject({ environment: 'production' });
    expect(example.double.violations).toEqual([]);
  }, 400_000);

  it('schedule (retrain.yml): a production model younger than max-model-age and no data profile to measure drift against: nothing retrained', async () => {
    const before = await example.tags('digits');
    const schedule = await example.run('retrain.yml', 'schedule', { schedule: '23 5 * * 1' });
    const loop = stepOf(schedule, 'loop', 'loop');
    expect(loop.outputs.promoted ?? '').toBe('');
    expect(stepsOf(loop.outputs)).toEqual(
      ['validate-data', 'train', 'evaluate', 'register', 'deploy', 'monitor-gate', 'promote'].map((step) => `${step} skipped`),
    );
    const train = (JSON.parse(loop.outputs.steps!) as { step: string; why: string }[]).find((s) => s.step === 'train')!;
    expect(train.why).toMatch(/v1 has no data profile to measure drift against/);
    expect(await example.tags('digits')).toEqual(before);
    expect(await served()).toBe('v1');
    expect(example.double.violations).toEqual([]);
  }, 400_000);

  it('push (ml-pipeline.yml) with new params: the reusable workflow, one job per stage; v2 as a 10 % canary, compared with v1, promoted', async () => {
    const params = join(example.project, 'params.yaml');
    writeFileSync(params, readFileSync(params, 'utf8').replace(/^epochs: 30/m, 'epochs: 25'));
    const push = await example.run('ml-pipeline.yml', 'push', {
      ref: 'refs/heads/main',
      after: 'c0ffee00000000000000000000000000000000d2',
    });
    expect(jobResults(push)).toEqual([
      ...['validate-data', 'train', 'evaluate', 'register', 'deploy', 'monitor-gate', 'promote'].map((job) => [`loop / ${job}`, 'success']),
      ['loop', 'success'],
    ]);
    expect(jobLog(push, 'loop / deploy')).toMatch(/now sends 10 % of new connections to v2/);
    expect(jobLog(push, 'loop / monitor-gate')).toMatch(/Analysing digits v2 against stable v1/);
    expect(push.jobs.find((j) => j.name === 'loop / promote')!.outputs.promoted).toBe('v2');
    const registry = await example.tags('digits');
    expect(registry.v2).not.toBe(registry.v1);
    expect(registry.production).toBe(registry.v2);
    for (let i = 0; i < 5; i++) expect(await served()).toBe('v2');
    expect(example.double.violations).toEqual([]);
  }, 600_000);

  it('workflow_dispatch (monitor.yml) with a load test of which every fourth request is malformed: the error rate fails the analysis; production rolls back to v1, retrain.yml is dispatched, one issue opened', async () => {
    // A client that sends 63 pixels instead of 64 in a quarter of its requests: each is refused (400).
    const broken = requests.map((line, i) => {
      if (i % 4 !== 0) return line;
      const body = JSON.parse(line) as { inputs: { shape: number[]; data: number[] }[] };
      body.inputs[0]!.data = body.inputs[0]!.data.slice(1);
      return JSON.stringify(body);
    });
    writeFileSync(join(example.project, 'broken-client.jsonl'), `${broken.join('\n')}\n`);
    const monitor = await example.run(
      'monitor.yml',
      'workflow_dispatch',
      {
        inputs: {
          endpoint: `http://127.0.0.1:${example.port}`,
          model: '.mlops/registry/digits@production',
          'load-test': 'broken-client.jsonl',
        },
        ref: 'refs/heads/main',
      },
      { VARS_MONITOR_INTERVAL: '4s', VARS_MONITOR_COUNT: '2' },
    );
    const gate = stepOf(monitor, 'monitor', 'gate');
    expect({ verdict: gate.outputs.verdict, decision: gate.outputs.decision }).toEqual({ verdict: 'fail', decision: 'rollback' });
    expect(jobLog(monitor, 'monitor')).toMatch(/^monitor-gate decided rollback \(fail\)/m);
    const registry = await example.tags('digits');
    expect(registry.production).toBe(registry.v1);
    expect(await served()).toBe('v1');
    const runs = example.double.workflowRuns(OWNER, REPO);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ event: 'workflow_dispatch', ref: 'main' });
    const issues = example.double.issues(OWNER, REPO).filter((i) => !i.isPullRequest);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: 'open', labels: ['mlops-monitor'] });
    expect(gate.outputs['issue-url']).toBe(`https://github.com/${OWNER}/${REPO}/issues/${issues[0]!.number}`);
    expect(example.double.violations).toEqual([]);
  }, 400_000);

  it('schedule (monitor.yml) on the repository variables, with healthy traffic: the analysis passes, the issue is closed, nothing dispatched', async () => {
    const traffic = sendTraffic(example.port, '/v2/models/digits/infer', requests);
    let monitor: WorkflowRunResult;
    try {
      monitor = await example.run(
        'monitor.yml',
        'schedule',
        { schedule: '41 */6 * * *' },
        {
          VARS_DIGITS_ENDPOINT: `http://127.0.0.1:${example.port}`,
          VARS_DIGITS_MODEL: '.mlops/registry/digits@production',
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
      example.double
        .issues(OWNER, REPO)
        .filter((i) => !i.isPullRequest)
        .map((i) => i.state),
    ).toEqual(['closed']);
    expect(example.double.workflowRuns(OWNER, REPO)).toHaveLength(1);
    expect(await served()).toBe('v1');
    expect(example.double.violations).toEqual([]);
  }, 400_000);
});
