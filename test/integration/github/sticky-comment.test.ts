import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { createGitHubClient, type GitHubClient } from '../../../shared/github/client.js';
import { COMMENT_BODY_LIMIT, upsertStickyComment } from '../../../shared/github/sticky-comment.js';
import { InputError, ServiceError } from '../../../shared/errors.js';

const TOKEN = 'ghs_stickyCommentTest';
const PR = { owner: 'acme', repo: 'models', issueNumber: 7 };
const LIST = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const MARKER = '<!-- mlops-actions:evaluate -->';

let double: GitHubDouble;
let client: GitHubClient;

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addPullRequest({ owner: 'acme', repo: 'models', number: 7 });
  client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
});

afterEach(async () => {
  await double.close();
});

const operations = (operationId: string) => double.requests.filter((r) => r.operationId === operationId);

describe('upsertStickyComment', () => {
  it('creates the comment with the hidden marker on top', async () => {
    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: '## Evaluation\nf1 0.871' });
    const [comment] = double.comments('acme', 'models', 7);
    expect(result).toEqual({
      action: 'created',
      id: comment!.id,
      url: `https://github.com/acme/models/pull/7#issuecomment-${comment!.id}`,
    });
    expect(comment!.body).toBe(`${MARKER}\n## Evaluation\nf1 0.871`);
    expect(double.violations).toEqual([]);
  });

  it('finds its comment on the second run and updates it in place; another key gets its own comment', async () => {
    const first = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'run 1' });
    double.addComment({ ...PR, body: `> ${MARKER}\n> quoted by a reviewer`, author: 'reviewer' });
    const second = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'run 2' });
    expect(second).toMatchObject({ action: 'updated', id: (first as { id: number }).id });
    const other = await upsertStickyComment(client, { ...PR, key: 'monitor-gate', body: 'gate' });
    expect(other.action).toBe('created');
    expect(double.comments('acme', 'models', 7).map((c) => c.body)).toEqual([
      `${MARKER}\nrun 2`,
      `> ${MARKER}\n> quoted by a reviewer`,
      '<!-- mlops-actions:monitor-gate -->\ngate',
    ]);
    expect(operations('issues/update-comment')).toHaveLength(1);
    expect(double.violations).toEqual([]);
  });

  it("leaves a stranger's marker comment alone and creates its own (issue 9, item 3); GITHUB_TOKEN's identity is the Actions bot", async () => {
    const stranger = double.addComment({ ...PR, body: `${MARKER}\nI own this now`, author: 'mallory' });
    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' });
    expect(result.action).toBe('created');
    const [first, second] = double.comments('acme', 'models', 7);
    expect(first).toMatchObject({ id: stranger.id, body: `${MARKER}\nI own this now`, author: 'mallory' });
    expect(second).toMatchObject({ body: `${MARKER}\nreport`, author: 'github-actions[bot]' });
    expect(operations('issues/update-comment')).toHaveLength(0);
    // The next run finds its own comment, not the stranger's.
    expect(await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'again' })).toMatchObject({
      action: 'updated',
      id: second!.id,
    });
    expect(double.comments('acme', 'models', 7)[0]!.body).toBe(`${MARKER}\nI own this now`);
    expect(double.violations.filter((v) => v.path !== '/user')).toEqual([]);
  });

  it("with a user token, only that user's marker comments are ours (GET /user)", async () => {
    const userDouble = await startGitHubDouble({ token: TOKEN, login: 'release-bot-user' });
    try {
      userDouble.addPullRequest({ owner: 'acme', repo: 'models', number: 7 });
      const bot = userDouble.addComment({ ...PR, body: `${MARKER}\nby the actions bot`, author: 'github-actions[bot]' });
      const own = userDouble.addComment({ ...PR, body: `${MARKER}\nold`, author: 'release-bot-user' });
      const userClient = createGitHubClient({ token: TOKEN, baseUrl: userDouble.url, retryDelayMs: 1 });
      expect(await upsertStickyComment(userClient, { ...PR, key: 'evaluate', body: 'new' })).toMatchObject({
        action: 'updated',
        id: own.id,
      });
      expect(userDouble.comments('acme', 'models', 7).find((c) => c.id === bot.id)!.body).toBe(`${MARKER}\nby the actions bot`);
      expect(userDouble.violations).toEqual([]);
    } finally {
      await userDouble.close();
    }
  });

  it('pages through all comments (250 others, its own on page 3) to find its marker', async () => {
    for (let i = 0; i < 230; i++) double.addComment({ ...PR, body: `review note ${i}`, author: 'reviewer' });
    const own = double.addComment({ ...PR, body: `${MARKER}\nold report`, author: 'github-actions[bot]' });
    for (let i = 230; i < 250; i++) double.addComment({ ...PR, body: `review note ${i}`, author: 'reviewer' });

    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'new report' });
    expect(result).toMatchObject({ action: 'updated', id: own.id });
    expect(double.comments('acme', 'models', 7)).toHaveLength(251);
    expect(double.comments('acme', 'models', 7).find((c) => c.id === own.id)!.body).toBe(`${MARKER}\nnew report`);
    const lists = operations('issues/list-comments').map((r) => r.path);
    expect(lists).toHaveLength(3);
    expect(lists[0]).toBe('/repos/acme/models/issues/7/comments?per_page=100');
    expect(lists[2]).toMatch(/^\/repositories\/\d+\/issues\/7\/comments\?per_page=100&page=3$/);
    expect(double.violations).toEqual([]);
  });

  it('returns forbidden on 403 (a fork pull request has a read-only token)', async () => {
    double.failNext('POST', LIST, 403);
    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' });
    expect(result.action).toBe('forbidden');
    expect((result as { message: string }).message).toContain('Resource not accessible by integration');
    expect(double.comments('acme', 'models', 7)).toEqual([]);
    expect(operations('issues/create-comment')).toHaveLength(1); // 4xx are not retried
    expect(double.violations).toEqual([]);
  });

  it('throws a ServiceError naming the pull request when it is gone (404)', async () => {
    const attempt = upsertStickyComment(client, { ...PR, issueNumber: 99, key: 'evaluate', body: 'report' });
    await expect(attempt).rejects.toThrow(ServiceError);
    await expect(attempt).rejects.toThrow('GitHub: pull request acme/models#99 was not found (404) while listing the comments');
    expect(double.violations).toEqual([]);
  });

  it('retries server errors: 500 twice, then success', async () => {
    double.failNext('GET', LIST, 500, 2);
    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' });
    expect(result.action).toBe('created');
    expect(operations('issues/list-comments').map((r) => r.status)).toEqual([500, 500, 200]);
    expect(double.comments('acme', 'models', 7)).toHaveLength(1);
    expect(double.violations).toEqual([]);
  });

  it('throws a ServiceError when GitHub keeps failing, after 3 retries', async () => {
    double.failNext('POST', LIST, 502, 100);
    const attempt = upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' });
    await expect(attempt).rejects.toThrow(ServiceError);
    await expect(attempt).rejects.toThrow(/creating a comment on pull request acme\/models#7 failed with 502 after retries/);
    expect(operations('issues/create-comment').map((r) => r.status)).toEqual([502, 502, 502, 502]);
    expect(double.violations).toEqual([]);
  });

  it('cuts a 70,000-character report at a line boundary below 65,536, closing <details>, with a note', async () => {
    const cars = JSON.parse(readFileSync(new URL('../../../node_modules/vega-datasets/data/cars.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >[];
    const rows: string[] = [];
    while (rows.join('\n').length < 70_000) {
      const car = cars[rows.length % cars.length]!;
      rows.push(`| ${car.Name} | ${car.Miles_per_Gallon} | ${car.Horsepower} | ${car.Weight_in_lbs} | ${car.Origin} |`);
    }
    const body = `## Per-row errors\n<details><summary>${rows.length} rows</summary>\n\n| name | mpg | hp | weight | origin |\n|---|---|---|---|---|\n${rows.join('\n')}\n</details>`;
    expect(body.length).toBeGreaterThan(70_000);
    const hint = 'the job summary and the artifact `evaluate-report`';

    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body, fullReportHint: hint });
    expect(result.action).toBe('created');
    const stored = double.comments('acme', 'models', 7)[0]!.body;
    expect(stored.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    expect(stored.length).toBeGreaterThan(COMMENT_BODY_LIMIT - 1_000);
    expect(stored.startsWith(`${MARKER}\n## Per-row errors`)).toBe(true);
    expect(stored).toContain(`The full report is in ${hint}.`);
    const [kept] = stored.split('\n</details>\n\n---\n');
    expect(rows).toContain(kept!.split('\n').at(-1)); // the last kept line is a whole row
    expect(stored.match(/<\/details>/g)).toHaveLength(1);
    expect(double.violations).toEqual([]);
  });

  it('rejects a key that could break out of the HTML comment', async () => {
    await expect(upsertStickyComment(client, { ...PR, key: 'x --> @admin', body: 'b' })).rejects.toThrow(InputError);
    expect(double.requests).toEqual([]);
  });
});

describe('createGitHubClient', () => {
  it('defaults baseUrl to GITHUB_API_URL, as the runner sets it', async () => {
    const saved = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = double.url;
    try {
      const fromEnv = createGitHubClient({ token: TOKEN, retryDelayMs: 1 });
      const { data } = await fromEnv.rest.pulls.get({ owner: 'acme', repo: 'models', pull_number: 7 });
      expect(data.number).toBe(7);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL;
      else process.env.GITHUB_API_URL = saved;
    }
    expect(double.requests.map((r) => [r.operationId, r.headers.authorization])).toEqual([['pulls/get', `token ${TOKEN}`]]);
    expect(double.violations).toEqual([]);
  });
});

describe('the GitHub double catches invalid requests made through Octokit', () => {
  it('records a create-comment request without `body` and a list with an unknown query parameter', async () => {
    // @ts-expect-error: the point is a request GitHub's description forbids
    const withoutBody = client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'models',
      issue_number: 7,
      text: 'hi',
    });
    await expect(withoutBody).rejects.toMatchObject({ status: 422 });
    await expect(
      client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'acme',
        repo: 'models',
        issue_number: 7,
        sort: 'created',
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(double.violations.map((v) => [v.kind, v.message])).toEqual([
      ['body', "body of issues/create-comment: (root) must have required property 'body'"],
      ['query', expect.stringContaining('query parameter sort is not declared by issues/list-comments')],
    ]);
  });
});
