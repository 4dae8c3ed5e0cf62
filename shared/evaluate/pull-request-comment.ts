import { upsertStickyComment } from '../github/sticky-comment.js';
import type { RunEvent, Runtime } from '../runtime/port.js';

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
 * Writes the evaluation to the pull request's sticky comment when `mode` and the event ask for it;
 * returns the comment's URL, or undefined when none was written (the log says why). A 403 (fork
 * pull requests get a read-only token) becomes a warning. Throws ServiceError when GitHub fails
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
    runtime.warning(result.message, { title: 'evaluate: comment' });
    return undefined;
  }
  runtime.info(`Pull-request comment ${result.action}: ${result.url}`);
  return result.url;
}
