import { upsertStickyComment } from '../github/sticky-comment.js';
import type { Repository, RunEvent, Runtime } from '../runtime/port.js';

export interface EvaluationCommentRequest {
  mode: 'auto' | 'always' | 'never';
  /** The sticky comment's key (the `comment-id` input). */
  key: string;
  /** The `github-token` input; the runtime decides what stands in when it is not given (locally GITHUB_TOKEN). */
  token?: string;
  body: string;
  /** Where the full report is, for a comment cut to GitHub's limit. */
  fullReportHint: string;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The pull request number an event refers to: `pull_request.number`, or an issue comment's issue when it is a pull request. */
export function pullRequestNumber(event: RunEvent): number | undefined {
  const payload = event.payload as {
    pull_request?: { number?: unknown };
    issue?: { number?: unknown; pull_request?: unknown };
    number?: unknown;
  };
  const number = payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

/**
 * Why GitHub refused to write a pull-request comment (403), from the event: on `pull_request`, a pull
 * request from a fork (its head repository is not the base one, or was deleted) runs with a read-only
 * token whatever the workflow asks; anything else means the token lacks `pull-requests: write`.
 */
export function commentRefusalReason(event: RunEvent, repository: Repository): string {
  const pullRequest = event.payload.pull_request as
    { head?: { repo?: { full_name?: unknown } | null }; base?: { repo?: { full_name?: unknown } } } | undefined;
  const base = pullRequest?.base?.repo?.full_name ?? `${repository.owner}/${repository.repo}`;
  const head = pullRequest?.head?.repo;
  if (event.name === 'pull_request' && head !== undefined && (head === null || head.full_name !== base)) {
    const fork = typeof head?.full_name === 'string' ? `the fork ${head.full_name}` : 'a fork that was deleted';
    return (
      `this pull request comes from ${fork}, and GitHub gives workflows run for a fork's pull request a read-only token ` +
      '(whatever `permissions:` says); read the report in the job summary, or comment from a `workflow_run` workflow'
    );
  }
  return (
    'the token lacks the `pull-requests: write` permission; give it to the job or the workflow: ' +
    '`permissions: { contents: read, pull-requests: write }`'
  );
}

/**
 * Writes the evaluation to the pull request's sticky comment when `mode` and the event ask for it;
 * returns the comment's URL, or undefined when none was written (the log says why). A 403 (a fork's
 * read-only token, or a missing `pull-requests: write`) becomes a warning saying which. Throws ServiceError when GitHub fails
 * otherwise (404, 5xx after retries).
 */
export async function writeEvaluationComment(runtime: Runtime, request: EvaluationCommentRequest): Promise<string | undefined> {
  if (request.mode === 'never') {
    runtime.info('Pull-request comment: off (comment: never).');
    return undefined;
  }
  const event = runtime.event();
  if (request.mode === 'auto' && !PULL_REQUEST_EVENTS.has(event.name)) {
    runtime.info(`Pull-request comment: skipped, the event is ${event.name}, not a pull request (comment: auto).`);
    return undefined;
  }
  // A comment was asked for (`always`, or `auto` on a pull request): not writing one deserves a warning, wherever the run is.
  const skip = (why: string): undefined => {
    runtime.warning(`No pull-request comment written: ${why}. The report is in the job summary.`, { title: 'evaluate: comment' });
    return undefined;
  };
  const number = pullRequestNumber(event);
  if (number === undefined) return skip(`the ${event.name} event names no pull request`);
  const github = await runtime.github(request.token);
  if ('unavailable' in github) return skip(github.unavailable);
  const { client, repository } = github;
  const { owner, repo } = repository;

  const result = await upsertStickyComment(client, {
    owner,
    repo,
    issueNumber: number,
    key: request.key,
    body: request.body,
    fullReportHint: request.fullReportHint,
  });
  if (result.action === 'forbidden') {
    runtime.warning(`${result.message}: ${commentRefusalReason(event, repository)}. The report is in the job summary.`, {
      title: 'evaluate: comment',
    });
    return undefined;
  }
  runtime.info(`Pull-request comment ${result.action}: ${result.url}`);
  return result.url;
}
