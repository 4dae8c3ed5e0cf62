// The evaluate bundle run as the runner runs it, on real penguins-node predictions (a 300-epoch
// candidate against a 3-epoch baseline on the same held-out rows), commenting on a pull request of
// the loopback GitHub double.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import { trainPenguins } from '../integration/evaluate/example-predictions.js';
import { runAction, type ActionRun } from './runner.js';

const TOKEN = 'ghs_evaluateE2eToken';
const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const PASSING_GATES = 'accuracy >= 0.9\nf1_macro >= baseline - 0.005\nrecall[class=Gentoo] >= 0.8\naccuracy[island=Dream] >= 0.85';

let workspace: string;
let double: GitHubDouble;

beforeAll(() => {
  workspace = trainPenguins();
  // Same seed, same split: the 3-epoch baseline predicts the same held-out rows.
  const baseline = trainPenguins({ epochs: 3, learning_rate: 0.05 });
  mkdirSync(join(workspace, 'baseline'), { recursive: true });
  cpSync(join(baseline, 'predictions.csv'), join(workspace, 'baseline', 'predictions.csv'));
  rmSync(baseline, { recursive: true, force: true });
});

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addPullRequest({ owner: 'octo-org', repo: 'ml-repo', number: 7 });
});

afterEach(async () => {
  expect(double.violations).toEqual([]);
  await double.close();
});

async function evaluateOnPullRequest(inputs: Record<string, string>, pullRequest = 7): Promise<ActionRun> {
  return runAction('evaluate', {
    workspace,
    inputs: {
      predictions: 'predictions.csv',
      baseline: 'baseline/predictions.csv',
      'id-column': 'id',
      slices: 'island',
      'github-token': TOKEN,
      ...inputs,
    },
    event: { name: 'pull_request', payload: { action: 'synchronize', number: pullRequest, pull_request: { number: pullRequest } } },
    env: { GITHUB_API_URL: double.url, MLOPS_STATE_DIR: join(workspace, '.mlops') },
  });
}

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');
const warnings = (run: ActionRun) => run.annotations.filter((a) => a.level === 'warning');

describe('evaluate bundle on a pull request', () => {
  it('creates the comment on the first run and updates the same comment on the second', async () => {
    const first = await evaluateOnPullRequest({ gates: PASSING_GATES });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.outputs.verdict).toBe('pass');
    expect(first.outputs.passed).toBe('true');
    const [comment] = double.comments('octo-org', 'ml-repo', 7);
    expect(first.outputs['comment-url']).toBe(`https://github.com/octo-org/ml-repo/pull/7#issuecomment-${comment!.id}`);
    // Default key (issue 8): evaluate/<job>/<hash of what is evaluated>; this runner sets no GITHUB_JOB.
    expect(comment!.body).toMatch(/^<!-- mlops-actions:evaluate\/[0-9a-f]{8} -->\n## evaluate: ✅ pass/);
    expect(first.summary).toContain('## evaluate: ✅ pass');
    expect(first.summary).toContain('baseline baseline/predictions.csv (paired by id)');
    const metrics = JSON.parse(first.outputs.metrics!);
    expect(metrics.accuracy.value).toBe(1);
    expect(metrics['accuracy[island=Dream]']).toEqual({ value: 1, low: 1, high: 1 });
    const report = JSON.parse(readFileSync(first.outputs['report-json']!, 'utf8'));
    expect(report.metrics.delta['f1_macro'].low).toBeGreaterThan(0);
    expect(readFileSync(first.outputs.report!, 'utf8').trim()).toBe(first.summary.trim());
    // The token is masked (the runner hides it from every later line) and appears nowhere else.
    expect(first.stdout.split('\n').filter((line) => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);

    const second = await evaluateOnPullRequest({ gates: `${PASSING_GATES}\nlog_loss <= 0.01` });
    expect(second.exitCode).toBe(1);
    expect(second.outputs.verdict).toBe('fail');
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    const comments = double.comments('octo-org', 'ml-repo', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('## evaluate: ❌ fail');
    expect(comments[0]!.body).toContain('log\\_loss 0.029 is above 0.010');
    expect(errors(second)).toHaveLength(1);
    expect(errors(second)[0]!.message).toMatch(
      /^evaluate: fail: log_loss <= 0.01: log_loss 0.029 is above 0.010 \(95 % CI 0.0\d\d … 0.0\d\d\)$/,
    );
    expect(double.requests.filter((r) => r.operationId === 'issues/update-comment')).toHaveLength(1);
  });

  it('in a matrix, each entry keeps its own comment and uploads its report under its own name', async () => {
    const entry = (runName: string, gates = PASSING_GATES) =>
      runAction('evaluate', {
        workspace,
        inputs: {
          predictions: 'predictions.csv',
          baseline: 'baseline/predictions.csv',
          'id-column': 'id',
          'github-token': TOKEN,
          slices: 'island',
          gates,
          'run-name': runName,
        },
        event: { name: 'pull_request', payload: { action: 'synchronize', number: 7, pull_request: { number: 7 } } },
        env: { GITHUB_API_URL: double.url, MLOPS_STATE_DIR: join(workspace, '.mlops'), GITHUB_JOB: 'evaluate-models' },
      });
    const small = await entry('small');
    const large = await entry('large');
    expect([small.exitCode, large.exitCode]).toEqual([0, 0]);
    expect([small.outputs['report-artifact'], large.outputs['report-artifact']]).toEqual([
      'evaluate-report-evaluate-models-small',
      'evaluate-report-evaluate-models-large',
    ]);
    const markers = () => double.comments('octo-org', 'ml-repo', 7).map((c) => c.body.split('\n')[0]);
    expect(markers()).toEqual([
      '<!-- mlops-actions:evaluate/evaluate-models/small -->',
      '<!-- mlops-actions:evaluate/evaluate-models/large -->',
    ]);
    // The next push: each entry updates its own comment.
    const again = await entry('small', `${PASSING_GATES}\nlog_loss <= 0.01`);
    expect(again.outputs['comment-url']).toBe(small.outputs['comment-url']);
    expect(double.comments('octo-org', 'ml-repo', 7).map((c) => c.body.split('\n')[1])).toEqual([
      '## evaluate: ❌ fail',
      '## evaluate: ✅ pass',
    ]);
    // Without run-name, what is evaluated tells the entries apart.
    const unnamed = await evaluateOnPullRequest({ gates: PASSING_GATES, comment: 'never' });
    const other = await evaluateOnPullRequest({ gates: PASSING_GATES, comment: 'never', baseline: 'predictions.csv' });
    expect(unnamed.outputs['report-artifact']).toMatch(/^evaluate-report-[0-9a-f]{8}$/);
    expect(other.outputs['report-artifact']).toMatch(/^evaluate-report-[0-9a-f]{8}$/);
    expect(other.outputs['report-artifact']).not.toBe(unnamed.outputs['report-artifact']);
  });

  it('decides on intervals: an inconclusive gate warns, is decided on its point value, and fails the step with on-inconclusive: fail', async () => {
    // log_loss 0.029 <= 0.03 holds on the point estimate: it passes under the default on-inconclusive: point (issue 8).
    const lenient = await evaluateOnPullRequest({ gates: 'log_loss <= 0.03', comment: 'never' });
    expect([lenient.exitCode, lenient.outputs.verdict, lenient.outputs.passed]).toEqual([0, 'inconclusive', 'true']);
    expect(warnings(lenient).map((w) => w.message)).toEqual([
      expect.stringMatching(/^log_loss 0.029 may or may not be at most 0.030 \(95 % CI 0.0\d\d … 0.0\d\d\)$/),
    ]);
    const strict = await evaluateOnPullRequest({ gates: 'log_loss <= 0.03', comment: 'never', 'on-inconclusive': 'fail' });
    expect([strict.exitCode, strict.outputs.verdict, strict.outputs.passed]).toEqual([1, 'inconclusive', 'false']);
    // Was "inconclusive (fails the step: fail-on-inconclusive)": the policy is now on-inconclusive (issue 8).
    expect(strict.summary.split('\n')[0]).toBe('## evaluate: ⚠️ inconclusive: fails (on-inconclusive: fail)');
    const pointFails = await evaluateOnPullRequest({ gates: 'log_loss <= 0.028', comment: 'never' });
    expect([pointFails.exitCode, pointFails.outputs.verdict, pointFails.outputs.passed]).toEqual([1, 'inconclusive', 'false']);
    expect(double.requests).toEqual([]); // comment: never sends nothing to GitHub
  });

  it('turns a 403 into a warning, still writes the summary, and exits according to the gates', async () => {
    double.failNext('POST', COMMENTS, 403);
    const run = await evaluateOnPullRequest({ gates: PASSING_GATES });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['comment-url']).toBe('');
    expect(warnings(run).map((w) => w.message)).toEqual([
      expect.stringContaining('GitHub refused creating a comment on pull request octo-org/ml-repo#7 (403'),
    ]);
    expect(run.summary).toContain('## evaluate: ✅ pass');
    expect(double.comments('octo-org', 'ml-repo', 7)).toEqual([]);
  });

  it('fails the step naming the pull request when it is gone (404), with the evaluation still written', async () => {
    const run = await evaluateOnPullRequest({ gates: PASSING_GATES }, 99);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verdict).toBe('pass');
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]!.message).toContain('GitHub: pull request octo-org/ml-repo#99 was not found (404)');
    expect(run.summary).toContain('## evaluate: ✅ pass');
  });

  it('retries server errors (500 twice, then the comment is created)', async () => {
    double.failNext('GET', COMMENTS, 500, 2);
    const run = await evaluateOnPullRequest({ gates: PASSING_GATES });
    expect(run.exitCode).toBe(0);
    expect(double.requests.filter((r) => r.operationId === 'issues/list-comments').map((r) => r.status)).toEqual([500, 500, 200]);
    expect(double.comments('octo-org', 'ml-repo', 7)).toHaveLength(1);
  });

  it('fails on a bad gate rule with the rule, the column and what was expected in one error annotation', async () => {
    const run = await evaluateOnPullRequest({ gates: 'accuracy >= 0.9\nf1_macro >== baseline' });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]!.message).toBe(
      'gate 2 "f1_macro >== baseline": at column 12 found "=", expected a number or "baseline"\n  f1_macro >== baseline\n             ^',
    );
    expect(double.requests).toEqual([]);
  });
});
