import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { createGitHubClient, type GitHubClient } from '../../../shared/github/client.js';
import { syncMonitorIssue, type MonitorIssueRequest } from '../../../shared/github/monitor-issue.js';
import { COMMENT_BODY_LIMIT } from '../../../shared/github/sticky-comment.js';
import { InputError, ServiceError } from '../../../shared/errors.js';

const TOKEN = 'ghs_monitorIssueTest';
const MARKER = '<!-- mlops-actions:monitor-gate/penguins -->';
const BASE: MonitorIssueRequest = {
  owner: 'acme',
  repo: 'models',
  label: 'model-monitor',
  marker: 'monitor-gate/penguins',
  title: 'monitor-gate: penguins is unhealthy',
  body: '## Drift\nbill_length_mm PSI 0.41 > 0.2',
  healthy: false,
};

let double: GitHubDouble;
let client: GitHubClient;

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addRepository('acme', 'models');
  client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
});

afterEach(async () => {
  await double.close();
});

const operations = (operationId: string) => double.requests.filter((r) => r.operationId === operationId);

describe('syncMonitorIssue', () => {
  it('opens one issue (creating the label), updates it on the next failing run, closes it with a comment when healthy, then does nothing', async () => {
    const opened = await syncMonitorIssue(client, BASE);
    let issues = double.issues('acme', 'models');
    expect(issues).toHaveLength(1);
    expect(opened).toEqual({
      action: 'opened',
      number: issues[0]!.number,
      url: `https://github.com/acme/models/issues/${issues[0]!.number}`,
    });
    expect(issues[0]).toMatchObject({
      title: BASE.title,
      body: `${MARKER}\n${BASE.body}`,
      labels: ['model-monitor'],
      author: 'github-actions[bot]',
    });
    expect(double.labels('acme', 'models')).toMatchObject([{ name: 'model-monitor', color: 'd93f0b' }]);
    expect(operations('issues/create-label')).toHaveLength(1);

    const updated = await syncMonitorIssue(client, { ...BASE, title: 'monitor-gate: penguins still unhealthy', body: 'run 2' });
    expect(updated).toEqual({ ...opened, action: 'updated' });
    issues = double.issues('acme', 'models');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: 'monitor-gate: penguins still unhealthy', body: `${MARKER}\nrun 2`, state: 'open' });
    // The label exists: not created twice.
    expect(operations('issues/create-label')).toHaveLength(1);

    const closed = await syncMonitorIssue(client, { ...BASE, healthy: true, closeComment: 'All rules pass again.' });
    expect(closed).toEqual({ ...opened, action: 'closed' });
    expect(double.issues('acme', 'models')[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(double.comments('acme', 'models', opened.number!).map((c) => c.body)).toEqual(['All rules pass again.']);

    expect(await syncMonitorIssue(client, { ...BASE, healthy: true })).toEqual({ action: 'none' });
    // Unhealthy again after closing: a new issue (a new incident), the closed one left as history.
    const again = await syncMonitorIssue(client, BASE);
    expect(again.action).toBe('opened');
    expect(again.number).not.toBe(opened.number);
    expect(double.issues('acme', 'models').map((i) => i.state)).toEqual(['closed', 'open']);
    expect(double.violations).toEqual([]);
  });

  it("ignores a foreign marker: someone else's issue with the label and our marker, a marker further down, a marker in a comment", async () => {
    double.addIssue({
      owner: 'acme',
      repo: 'models',
      number: 1,
      author: 'mallory',
      labels: ['model-monitor'],
      body: `${MARKER}\nI own this now`,
    });
    double.addIssue({
      owner: 'acme',
      repo: 'models',
      number: 2,
      author: 'github-actions[bot]',
      labels: ['model-monitor'],
      body: `quoted:\n${MARKER}`,
    });
    double.addIssue({ owner: 'acme', repo: 'models', number: 3, author: 'octocat', labels: ['model-monitor'], body: 'a plain issue' });
    double.addComment({ owner: 'acme', repo: 'models', issueNumber: 3, body: `${MARKER}\nreport`, author: 'github-actions[bot]' });
    const result = await syncMonitorIssue(client, BASE);
    expect(result).toMatchObject({ action: 'opened', number: 4 });
    expect(double.issues('acme', 'models').map((i) => [i.number, i.body])).toEqual([
      [1, `${MARKER}\nI own this now`],
      [2, `quoted:\n${MARKER}`],
      [3, 'a plain issue'],
      [4, `${MARKER}\n${BASE.body}`],
    ]);
    // Healthy: ours is closed, the others stay open.
    expect(await syncMonitorIssue(client, { ...BASE, healthy: true })).toMatchObject({ action: 'closed', number: 4 });
    expect(double.issues('acme', 'models').map((i) => i.state)).toEqual(['open', 'open', 'open', 'closed']);
    expect(double.violations).toEqual([]);
  });

  it("another monitor's marker or an issue without the label is not ours; a user token's own issues are", async () => {
    await double.close();
    double = await startGitHubDouble({ token: TOKEN, login: 'release-bot' });
    double.addIssue({
      owner: 'acme',
      repo: 'models',
      number: 1,
      author: 'release-bot',
      labels: ['model-monitor'],
      body: '<!-- mlops-actions:monitor-gate/digits -->\nx',
    });
    double.addIssue({ owner: 'acme', repo: 'models', number: 2, author: 'release-bot', labels: [], body: `${MARKER}\nx` });
    double.addIssue({ owner: 'acme', repo: 'models', number: 3, author: 'release-bot', labels: ['model-monitor'], body: `${MARKER}\nold` });
    client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
    expect(await syncMonitorIssue(client, BASE)).toMatchObject({ action: 'updated', number: 3 });
    expect(operations('issues/create')).toHaveLength(0);
    expect(double.violations).toEqual([]);
  });

  it("cuts a report over GitHub's 65,536 characters at a line boundary, saying where the rest is", async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `| column_${i} | 0.${i} |`).join('\n');
    await syncMonitorIssue(client, { ...BASE, body, fullReportHint: 'the job summary' });
    const [issue] = double.issues('acme', 'models');
    expect([...issue!.body!].length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    expect(issue!.body!.startsWith(`${MARKER}\n| column_0 |`)).toBe(true);
    expect(issue!.body).toContain('The full report is in the job summary.');
    expect(double.violations).toEqual([]);
  });

  it('a label created meanwhile by a concurrent run is fine; a bad label or marker is an InputError; 403 names the permission', async () => {
    double.failNext('GET', '/repos/{owner}/{repo}/labels/{name}', 404);
    await syncMonitorIssue(client, { ...BASE, label: 'model-monitor' });
    // The label exists now; a 404 on GET makes us create it again, and GitHub answers already_exists.
    await syncMonitorIssue(client, { ...BASE, healthy: true });
    double.failNext('GET', '/repos/{owner}/{repo}/labels/{name}', 404);
    expect((await syncMonitorIssue(client, BASE)).action).toBe('opened');
    await expect(syncMonitorIssue(client, { ...BASE, label: 'a,b' })).rejects.toThrow(InputError);
    await expect(syncMonitorIssue(client, { ...BASE, marker: 'x -->' })).rejects.toThrow(InputError);
    double.failNext('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', 403);
    const error = await syncMonitorIssue(client, { ...BASE, body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toMatch(
      /^GitHub: updating issue #\d+ of acme\/models failed with 403: .*the token needs `issues: write`/,
    );
  });
});
