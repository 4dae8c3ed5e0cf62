// The evaluation comment against the loopback GitHub double: when GitHub refuses it (403), the warning
// says which case it is — a fork's read-only token, or a workflow without `pull-requests: write`.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { tempDir } from '../../temp-dirs.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { writeEvaluationComment } from '../../../shared/evaluate/pull-request-comment.js';

const TOKEN = 'ghs_pullRequestCommentTest';
const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const PERMISSIONS = '`permissions: { contents: read, pull-requests: write }`';

let double: GitHubDouble;

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addPullRequest({ owner: 'acme', repo: 'models', number: 7 });
});

afterEach(async () => {
  expect(double.violations).toEqual([]);
  await double.close();
});

/** Writes the comment for a `pull_request` event whose head repository is `head` (null: a deleted fork); returns the URL and the log. */
async function comment(head: string | null, eventName = 'pull_request') {
  const dir = tempDir('mlops-pr-comment-');
  const pullRequest = {
    number: 7,
    head: { ref: 'feature', repo: head === null ? null : { full_name: head } },
    base: { ref: 'main', repo: { full_name: 'acme/models' } },
  };
  writeFileSync(join(dir, 'event.json'), JSON.stringify({ action: 'synchronize', number: 7, pull_request: pullRequest }));
  const log: string[] = [];
  const runtime = new LocalRuntime({
    inputs: {},
    workspace: dir,
    log: (line) => log.push(line),
    env: {
      GITHUB_REPOSITORY: 'acme/models',
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: double.url,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
    },
  });
  const url = await writeEvaluationComment(runtime, { mode: 'auto', key: 'evaluate', body: 'report', fullReportHint: 'the summary' });
  return { url, warnings: log.filter((line) => line.startsWith('warning: ')) };
}

describe('the evaluation comment refused with 403', () => {
  it('blames the missing permission, with the permissions block, on a pull request from a branch of the repository', async () => {
    double.failNext('POST', COMMENTS, 403);
    const { url, warnings } = await comment('acme/models');
    expect(url).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('GitHub refused creating a comment on pull request acme/models#7 (403');
    expect(warnings[0]).toContain(
      `the token lacks the \`pull-requests: write\` permission; give it to the job or the workflow: ${PERMISSIONS}`,
    );
    expect(warnings[0]).not.toMatch(/fork/i);
  });

  it('names the fork when the pull request comes from one', async () => {
    double.failNext('POST', COMMENTS, 403);
    const { warnings } = await comment('contributor/models');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('this pull request comes from the fork contributor/models');
    expect(warnings[0]).toContain('read-only token');
    expect(warnings[0]).not.toContain('lacks the `pull-requests: write` permission');
  });

  it('treats a deleted head repository as a fork', async () => {
    double.failNext('POST', COMMENTS, 403);
    const { warnings } = await comment(null);
    expect(warnings[0]).toContain('this pull request comes from a fork that was deleted');
  });

  it('blames the permission on pull_request_target, whose token can write even for forks', async () => {
    double.failNext('POST', COMMENTS, 403);
    const { warnings } = await comment('contributor/models', 'pull_request_target');
    expect(warnings[0]).toContain('lacks the `pull-requests: write` permission');
  });

  it('writes the comment when GitHub allows it', async () => {
    const { url, warnings } = await comment('contributor/models');
    expect(warnings).toEqual([]);
    expect(url).toMatch(/^https:\/\/github\.com\/acme\/models\/pull\/7#issuecomment-\d+$/);
    expect(double.comments('acme', 'models', 7)).toHaveLength(1);
  });
});
