import { InputError, ServiceError } from '../errors.js';
import { CLOSERS_RESERVE, cutMarkdown } from '../markdown/cut.js';
import type { GitHubClient } from './client.js';
import { endpointName } from './endpoint-name.js';

/** GitHub refuses issue and pull-request comments longer than this many characters. */
export const COMMENT_BODY_LIMIT = 65_536;

export interface StickyCommentRequest {
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  issueNumber: number;
  /** Names the pipeline: one comment per key, e.g. `evaluate` or `loop/main`. */
  key: string;
  /** Markdown, without the marker. */
  body: string;
  /** Where the whole report is when the comment has to be cut, e.g. "the job summary and the artifact `evaluate-report`". */
  fullReportHint?: string;
}

export type StickyCommentResult = { action: 'created' | 'updated'; url: string; id: number } | { action: 'forbidden'; message: string };

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const DEFAULT_HINT = 'the job summary of this run and its artifacts';

/** The hidden first line that identifies the comment of pipeline `key`. Throws InputError for keys that could break the HTML comment. */
export function stickyMarker(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw new InputError(
      `comment key ${JSON.stringify(key)} is not valid: expected letters, digits, '.', '_', ':', '/' or '-', starting with a letter or digit`,
    );
  }
  return `<!-- mlops-actions:${key} -->`;
}

/** The identity of the GITHUB_TOKEN (an installation token, for which GET /user is 403). */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * The login whose comments are ours: the user a user token belongs to (GET /user), or, for an
 * installation token (GET /user answers 403: the GITHUB_TOKEN), the Actions bot. Throws what Octokit
 * throws for anything else.
 */
export async function tokenIdentity(client: GitHubClient): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    if (typeof data?.login !== 'string' || data.login === '')
      throw new ServiceError('GitHub', 'GET /user answered without a login: cannot tell which comments are ours');
    return data.login;
  } catch (error) {
    if (httpStatus(error) === 403) return ACTIONS_BOT_LOGIN;
    throw error;
  }
}

/**
 * Returns the comment of pipeline `key` on the pull request written by `author` (the token's own
 * identity: see tokenIdentity), paging through all its comments, or undefined when there is none.
 * A marker comment written by anyone else is ignored: it is not ours to edit. Throws what Octokit
 * throws (RequestError).
 */
export async function findStickyComment(
  client: GitHubClient,
  where: { owner: string; repo: string; issueNumber: number; key: string; author: string },
): Promise<{ id: number; body: string } | undefined> {
  const marker = stickyMarker(where.key);
  const author = where.author.toLowerCase();
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find(
      (comment) => comment.user?.login?.toLowerCase() === author && comment.body?.trimStart().startsWith(marker),
    );
    if (found) return { id: found.id, body: found.body ?? '' };
  }
  return undefined;
}

/**
 * Returns `text` unchanged when it fits in a comment; otherwise cut at a line boundary, with open
 * code fences and `<details>` closed, and a note saying where the full report is (`hint`).
 */
export function fitCommentBody(text: string, hint: string = DEFAULT_HINT, limit = COMMENT_BODY_LIMIT): string {
  if (text.length <= limit) return text;
  const note =
    `\n\n---\n> [!WARNING]\n> This report was cut at a line boundary to fit GitHub's limit of ${limit.toLocaleString('en-US')} ` +
    `characters per comment (it has ${text.length.toLocaleString('en-US')}). The full report is in ${hint.slice(0, 1000)}.`;
  return cutMarkdown(text, limit - note.length - CLOSERS_RESERVE) + note;
}

/**
 * Creates the pipeline's comment on the pull request, or updates it in place when one with the same
 * marker written by the token's own identity exists (a marker comment by anyone else is left alone). Returns `forbidden` on 403 (a read-only token), for the caller, which knows the event, to say why and warn.
 * Throws ServiceError when the pull request is gone (404) or GitHub keeps failing (5xx after retries).
 */
export async function upsertStickyComment(client: GitHubClient, request: StickyCommentRequest): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber } = request;
  if (!Number.isInteger(issueNumber) || issueNumber < 1) {
    throw new InputError(`pull request number ${JSON.stringify(issueNumber)} is not valid: expected a positive integer`);
  }
  const body = fitCommentBody(`${stickyMarker(request.key)}\n${request.body}`, request.fullReportHint);
  const target = `pull request ${owner}/${repo}#${issueNumber}`;
  let step = 'finding the identity of the token (GET /user)';
  try {
    const author = await tokenIdentity(client);
    step = `listing the comments of ${target}`;
    const existing = await findStickyComment(client, { owner, repo, issueNumber, key: request.key, author });
    if (existing) {
      step = `updating comment ${existing.id} on ${target}`;
      try {
        const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        return { action: 'updated', ...commentOf(data, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}') };
      } catch (error) {
        if (httpStatus(error) !== 404) throw error;
        // Deleted since we listed it: fall through and post a new one.
      }
    }
    step = `creating a comment on ${target}`;
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { action: 'created', ...commentOf(data, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments') };
  } catch (error) {
    if (error instanceof ServiceError) {
      throw new ServiceError('GitHub', `${step} failed: ${error.message.replace(/^GitHub: /, '')}`, { cause: error });
    }
    const status = httpStatus(error);
    const request = (error as { request?: { method?: string; url?: string } } | undefined)?.request;
    const endpoint = request?.url ? ` (${endpointName(request)})` : '';
    const detail = `${error instanceof Error ? error.message : String(error)}${endpoint}`;
    if (status === 403) {
      return {
        action: 'forbidden',
        message: `GitHub refused ${step} (403: ${detail})`,
      };
    }
    if (status === 404) {
      throw new ServiceError(
        'GitHub',
        `${target} was not found (404) while ${step}: it may have been deleted, or the token cannot see ${owner}/${repo}`,
        { cause: error },
      );
    }
    if (status !== undefined && status >= 500) {
      throw new ServiceError('GitHub', `${step} failed with ${status} after retries: ${detail}`, { cause: error });
    }
    throw new ServiceError('GitHub', `${step} failed${status ? ` with ${status}` : ''}: ${detail}`, { cause: error });
  }
}

/** The id and address of a comment GitHub says it wrote; a ServiceError naming the endpoint when the answer lacks them. */
function commentOf(data: unknown, endpoint: string): { url: string; id: number } {
  const comment = data as { id?: unknown; html_url?: unknown } | null | undefined;
  if (typeof comment?.id !== 'number' || !Number.isInteger(comment.id) || typeof comment.html_url !== 'string' || comment.html_url === '') {
    throw new ServiceError(
      'GitHub',
      `${endpoint} answered without the comment's id and html_url (got ${JSON.stringify(data)?.slice(0, 200) ?? 'nothing'}): cannot tell whether the comment was written`,
    );
  }
  return { url: comment.html_url, id: comment.id };
}

/** The HTTP status of an Octokit RequestError, undefined for network failures and other errors. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}
