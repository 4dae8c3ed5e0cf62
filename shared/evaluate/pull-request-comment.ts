import { readFileSync } from 'node:fs';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { RunEvent, Runtime } from '../runtime/port.js';

export interface EvaluationCommentRequest {
  mode: 'auto' | 'always' | 'never';
  /** The sticky comment's key (the `comment-id` input). */
  key: string;
  /** The `github-token` input; locally GITHUB_TOKEN is used when it is not given. */
  token?: string;
  body: string;
  /** Where the full report is, for a comment cut to GitHub's limit. */
  fullReportHint: string;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The pull request number an event refers to: `pull_request.number`, or an issue comment's issue when it is a pull request. */
export function pullRequestNumber(event: RunEvent): number | undefined {
  const payload = event.payload as { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown }; number?: unknown };
  const number = payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

function localEvent(): RunEvent {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return { name: 'local', payload: {} };
  try {
    return { name: process.env.GITHUB_EVENT_NAME ?? 'local', payload: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
  } catch {
    return { name: 'local', payload: {} };
  }
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
  const local = runtime.kind === 'local';
  if (local && request.mode !== 'always') {
    runtime.info('Pull-request comment: skipped, running locally (pass --comment always with GITHUB_TOKEN, GITHUB_REPOSITORY and a pull_request GITHUB_EVENT_PATH to post one).');
    return undefined;
  }
  const event = local ? localEvent() : runtime.event();
  if (request.mode === 'auto' && !PULL_REQUEST_EVENTS.has(event.name)) {
    runtime.info(`Pull-request comment: skipped, the event is ${event.name}, not a pull request (comment: auto).`);
    return undefined;
  }
  const skip = (why: string): undefined => {
    if (local) runtime.info(`Pull-request comment: skipped, ${why}.`);
    else runtime.warning(`No pull-request comment written: ${why}. The report is in the job summary.`, { title: 'evaluate: comment' });
    return undefined;
  };
  const number = pullRequestNumber(event);
  if (number === undefined) return skip(`the ${event.name} event names no pull request`);
  const [owner, repo, ...rest] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length) return skip('GITHUB_REPOSITORY (owner/name) is not set');
  const token = request.token ?? (local ? process.env.GITHUB_TOKEN : undefined);
  if (!token) return skip(local ? 'GITHUB_TOKEN is not set' : 'the github-token input is empty');
  runtime.mask(token);

  // Loaded only when a comment is written: Octokit is large, and most runs never comment.
  const { createGitHubClient } = await import('../github/client.js');
  const client = createGitHubClient({ token });
  const result = await upsertStickyComment(client, { owner, repo, issueNumber: number, key: request.key, body: request.body, fullReportHint: request.fullReportHint });
  if (result.action === 'forbidden') {
    runtime.warning(result.message, { title: 'evaluate: comment' });
    return undefined;
  }
  runtime.info(`Pull-request comment ${result.action}: ${result.url}`);
  return result.url;
}
