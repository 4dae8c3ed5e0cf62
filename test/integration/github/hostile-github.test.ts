// Issue 9, item 9: a GitHub that never answers does not hang the step (each attempt times out, and a
// request is bounded in total time, retries included), the failure names the endpoint, and a create or
// update answer without the comment's id and html_url is an error, never "comment created: undefined".
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { createGitHubClient } from '../../../shared/github/client.js';
import { upsertStickyComment } from '../../../shared/github/sticky-comment.js';
import { ServiceError } from '../../../shared/errors.js';

const TOKEN = 'ghs_hostileGitHubTest';
const PR = { owner: 'acme', repo: 'models', issueNumber: 7 };
const LIST = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const MARKER = '<!-- mlops-actions:evaluate -->';

let double: GitHubDouble;

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addPullRequest({ owner: 'acme', repo: 'models', number: 7 });
});

afterEach(async () => {
  await double.close();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('a GitHub that does not answer', () => {
  it('times each attempt out and retries: one slow answer costs one timeout', async () => {
    const client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1, timeoutMs: 200 });
    double.delayNext('GET', LIST, 60_000);
    const started = Date.now();
    const result = await upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' });
    expect(result.action).toBe('created');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('never answering fails within the total bound, naming the endpoint', async () => {
    const client = createGitHubClient({
      token: TOKEN,
      baseUrl: double.url,
      retryDelayMs: 1,
      timeoutMs: 300,
      totalTimeoutMs: 1_000,
      retries: 100,
    });
    double.delayNext('GET', LIST, 60_000, 1000);
    const started = Date.now();
    const error = await failure(upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' }));
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.message).toBe(
      'GitHub: listing the comments of pull request acme/models#7 failed: GET /repos/acme/models/issues/7/comments did not complete within 1 s (each attempt may take 300 ms, retries included)',
    );
    expect(double.comments('acme', 'models', 7)).toEqual([]);
  }, 10_000);
});

describe('a malformed answer to create or update', () => {
  it('a create answer without id and html_url is a ServiceError naming the endpoint', async () => {
    const client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
    double.malformNext('POST', LIST, 201, {});
    const error = await failure(upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.message).toBe(
      "GitHub: creating a comment on pull request acme/models#7 failed: POST /repos/{owner}/{repo}/issues/{issue_number}/comments answered without the comment's id and html_url (got {}): cannot tell whether the comment was written",
    );
  });

  it('an update answer without html_url is a ServiceError too', async () => {
    const client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
    double.addComment({ ...PR, body: `${MARKER}\nold`, author: 'github-actions[bot]' });
    double.malformNext('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', 200, { id: 1 });
    const error = await failure(upsertStickyComment(client, { ...PR, key: 'evaluate', body: 'report' }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.message).toMatch(
      /PATCH \/repos\/\{owner\}\/\{repo\}\/issues\/comments\/\{comment_id\} answered without the comment's id and html_url/,
    );
  });
});
