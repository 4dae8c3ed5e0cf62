// penguins-node's ml.yml (the stage actions in one job: validate-data, train, and on a pull request evaluate
// with one comment) for each of its events, and sweep.yml (a matrix of training runs), run through `mlops
// workflow run` on a copy of the example with the GitHub API double. `npm ci` runs as written, offline: the
// lockfile resolves to tarballs in this machine's npm cache. Checked after each run: the jobs' results and
// outputs, what train restored from its cache, the Actions cache and artifacts kept under .mlops/, the
// comments the double received, and that nothing was registered or deployed (these workflows do neither).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkflowRunResult } from '../../shared/workflow/run-workflow.js';
import { jobLog, jobResults, OFFLINE_NPM, openExampleProject, stepOf, type ExampleProject } from './example-project.js';

const OWNER = 'acme';
const REPO = 'penguins';
const TOKEN = 'ghs_exampleWorkflowsMlTest';
const MAIN_SHA = 'c0ffee00000000000000000000000000000000a1';
const HEAD_SHA = 'c0ffee00000000000000000000000000000000b2';

let example: ExampleProject;

const pullRequest = {
  number: 9,
  pull_request: { number: 9, head: { sha: HEAD_SHA, ref: 'more-epochs' }, base: { sha: MAIN_SHA, ref: 'main' } },
};

/** The validation accuracy in train's `metrics` output (flat: one name per metric). */
function validationAccuracy(output: string | undefined): number {
  const metrics = JSON.parse(output ?? '{}') as Record<string, number>;
  const name = Object.keys(metrics).find((n) => /validation.accuracy$/.test(n));
  expect(name).toBeDefined();
  return metrics[name!]!;
}

beforeAll(async () => {
  example = await openExampleProject({
    example: 'penguins-node',
    owner: OWNER,
    repo: REPO,
    token: TOKEN,
    env: OFFLINE_NPM,
  });
  example.double.addPullRequest({ owner: OWNER, repo: REPO, number: 9, title: 'More epochs', headRef: 'more-epochs', headSha: HEAD_SHA });
});

afterAll(async () => {
  await example?.close();
});

describe('penguins-node ml.yml, run by mlops workflow run', () => {
  let fingerprint: string;
  let metrics: string;
  let commentId: number;

  it('push to main: the data is validated, the model trained (a cache miss), its predictions kept in the Actions cache as the next baseline', async () => {
    const push = await example.run('ml.yml', 'push', { ref: 'refs/heads/main', after: MAIN_SHA });
    expect(jobResults(push)).toEqual([['train', 'success']]);
    const data = stepOf(push, 'train', 'data');
    expect(data.outcome).toBe('success');
    expect(data.outputs.fingerprint).toMatch(/[0-9a-f]{16}/);
    fingerprint = data.outputs.fingerprint!;
    const train = stepOf(push, 'train', 'train');
    expect(train.outputs['cache-hit']).toBe('false');
    metrics = train.outputs.metrics!;
    expect(validationAccuracy(metrics)).toBeGreaterThan(0.9);
    expect(existsSync(join(example.project, 'model'))).toBe(true);
    // The Report step prints what train said.
    expect(jobLog(push, 'train')).toMatch(/^cache hit: false$/m);
    // Saved under the push's SHA; evaluate does not run on a push.
    expect(readdirSync(join(example.project, '.mlops', 'cache')).join('\n')).toMatch(new RegExp(`penguins-baseline-${MAIN_SHA}`));
    expect(stepOf(push, 'train', 'evaluate').outcome).toBe('skipped');
    expect(existsSync(join(example.project, '.mlops', 'artifacts', 'penguins-model'))).toBe(true);
    expect(existsSync(join(example.project, '.mlops', 'registry'))).toBe(false);
    expect(example.double.comments(OWNER, REPO, 9)).toEqual([]);
    expect(example.double.violations).toEqual([]);
  }, 300_000);

  it('pull_request, unchanged: train restores its outputs from the cache; evaluate compares with main’s predictions and comments once', async () => {
    const pr = await example.run('ml.yml', 'pull_request', pullRequest);
    expect(jobResults(pr)).toEqual([['train', 'success']]);
    expect(stepOf(pr, 'train', 'data').outputs.fingerprint).toBe(fingerprint);
    const train = stepOf(pr, 'train', 'train');
    expect(train.outputs['cache-hit']).toBe('true');
    expect(train.outputs.metrics).toBe(metrics);
    // The baseline restored from the cache entry of the base SHA: main's predictions.
    expect(stepOf(pr, 'train', 'baseline').outputs.path).toBe('baseline-main/predictions.csv');
    const evaluate = stepOf(pr, 'train', 'evaluate');
    expect({ passed: evaluate.outputs.passed, verdict: evaluate.outputs.verdict }).toEqual({ passed: 'true', verdict: 'pass' });
    const comments = example.double.comments(OWNER, REPO, 9);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^## evaluate: ✅ pass$/m);
    expect(comments[0]!.body).toMatch(/baseline baseline-main\/predictions\.csv \(paired by id\)/);
    commentId = comments[0]!.id;
    expect(evaluate.outputs['comment-url']).toMatch(new RegExp(`/${OWNER}/${REPO}/(pull|issues)/9#issuecomment-${comments[0]!.id}$`));
    expect(example.double.violations).toEqual([]);
  }, 300_000);

  it('pull_request with new params: train runs again (a miss), the gates fail against main, and the same comment says so', async () => {
    const params = join(example.project, 'params.yaml');
    const before = readFileSync(params, 'utf8');
    // One epoch: a model far worse than main's, which the baseline gate must catch.
    writeFileSync(params, before.replace(/^epochs: \d+/m, 'epochs: 1'));
    let pr: WorkflowRunResult;
    try {
      pr = await example.attempt('ml.yml', 'pull_request', pullRequest);
    } finally {
      writeFileSync(params, before);
    }
    expect(pr.ok).toBe(false);
    expect(jobResults(pr)).toEqual([['train', 'failure']]);
    expect(stepOf(pr, 'train', 'train').outputs['cache-hit']).toBe('false');
    expect(validationAccuracy(stepOf(pr, 'train', 'train').outputs.metrics)).toBeLessThan(validationAccuracy(metrics));
    const evaluate = stepOf(pr, 'train', 'evaluate');
    expect({ outcome: evaluate.outcome, passed: evaluate.outputs.passed, verdict: evaluate.outputs.verdict }).toEqual({
      outcome: 'failure',
      passed: 'false',
      verdict: 'fail',
    });
    const comments = example.double.comments(OWNER, REPO, 9);
    expect(comments.map((c) => c.id)).toEqual([commentId]);
    expect(comments[0]!.body).toMatch(/^## evaluate: ❌ fail$/m);
    expect(example.double.violations).toEqual([]);
  }, 300_000);

  it.each([
    ['schedule', { schedule: '17 4 * * 1' }],
    ['workflow_dispatch', { ref: 'refs/heads/main', inputs: {} }],
  ])(
    '%s: validate and train (restored from the cache), nothing evaluated, cached or commented',
    async (event, payload) => {
      const cacheBefore = readdirSync(join(example.project, '.mlops', 'cache')).sort();
      const run = await example.run('ml.yml', event, payload);
      expect(jobResults(run)).toEqual([['train', 'success']]);
      expect(stepOf(run, 'train', 'data').outputs.fingerprint).toBe(fingerprint);
      expect(stepOf(run, 'train', 'train').outputs['cache-hit']).toBe('true');
      expect(stepOf(run, 'train', 'train').outputs.metrics).toBe(metrics);
      for (const id of ['baseline', 'evaluate']) expect(stepOf(run, 'train', id).outcome).toBe('skipped');
      expect(readdirSync(join(example.project, '.mlops', 'cache')).sort()).toEqual(cacheBefore);
      expect(example.double.comments(OWNER, REPO, 9)).toHaveLength(1);
      expect(example.double.violations).toEqual([]);
    },
    300_000,
  );
});

describe('penguins-node sweep.yml, run by mlops workflow run', () => {
  it('workflow_dispatch: one training run per matrix entry (3 learning rates × 2 L2 penalties), each with its own params, run name and artifact; `best` names the run with the lowest validation log loss', async () => {
    const sweep = await example.run('sweep.yml', 'workflow_dispatch', { ref: 'refs/heads/main', inputs: {} });
    const legs = ['0.1', '0.5', '1'].flatMap((lr) => ['0', '0.001'].map((l2) => [lr, l2] as const));
    expect(jobResults(sweep)).toEqual([...legs.map(([lr, l2]) => [`train (${lr}, ${l2})`, 'success']), ['best', 'success']]);
    const losses = new Map<string, number>();
    for (const [lr, l2] of legs) {
      const job = sweep.jobs.find((j) => j.name === `train (${lr}, ${l2})`)!;
      const train = job.steps.find((s) => s.name === 'Run mlops-actions/mlops-actions/actions/train@main')!;
      expect(train.outcome).toBe('success');
      const manifest = JSON.parse(readFileSync(resolve(example.project, train.outputs.manifest!), 'utf8')) as {
        params: Record<string, number>;
        runName: string;
        metrics: Record<string, number>;
      };
      expect(manifest.params).toEqual({ learning_rate: Number(lr), l2: Number(l2), epochs: 300 });
      expect(manifest.runName).toBe(`lr-${lr}-l2-${l2}`);
      expect(JSON.parse(train.outputs.metrics!)).toEqual(manifest.metrics);
      // Each run's artifact holds its manifest, which the best job reads.
      const stored = join(example.project, '.mlops', 'artifacts', `model-lr-${lr}-l2-${l2}`, 'mlops-train', 'manifest.json');
      expect(JSON.parse(readFileSync(stored, 'utf8'))).toMatchObject({ runName: manifest.runName, params: manifest.params });
      losses.set(manifest.runName, manifest.metrics['validation.log_loss']!);
    }
    // Six different models, not one run six times.
    expect(new Set(losses.values()).size).toBe(6);
    const [bestName, bestLoss] = [...losses].sort((a, b) => a[1] - b[1])[0]!;
    const best = sweep.jobs.find((j) => j.name === 'best')!;
    expect(best.outputs).toEqual({
      'run-name': bestName,
      params: JSON.stringify({ learning_rate: Number(bestName.split('-')[1]), l2: Number(bestName.split('-')[3]), epochs: 300 }),
      'validation-log-loss': String(bestLoss),
    });
    const summary = readFileSync(best.summaryFile!, 'utf8');
    expect(summary.split('\n').filter((line) => /^\| lr-/.test(line))).toHaveLength(6);
    expect(summary).toMatch(new RegExp(`^\\| ${bestName} \\|`, 'm'));
    expect(example.double.violations).toEqual([]);
  }, 400_000);
});
