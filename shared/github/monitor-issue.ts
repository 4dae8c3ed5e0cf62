// monitor-gate's `issue`: ONE open issue per monitor, found by its label and the hidden marker on the
// first line of a body we wrote, opened or updated with the report while unhealthy and closed with a
// comment once healthy again. As with sticky comments, only an issue authored by the token's own
// identity counts: anyone can open an issue carrying the label and a copied marker.
import { InputError, ServiceError } from '../errors.js';
import type { GitHubClient } from './client.js';
import { endpointName } from './endpoint-name.js';
import { COMMENT_BODY_LIMIT, fitCommentBody, stickyMarker, tokenIdentity } from './sticky-comment.js';

export interface MonitorIssueRequest {
  owner: string;
  repo: string;
  /** The label the issue carries and is searched by, e.g. `model-monitor`; created when missing. */
  label: string;
  /**
   * Names the monitor: the hidden first line of the body is `<!-- mlops-actions:KEY -->` (letters, digits,
   * '.', '_', ':', '/', '-'), e.g. `monitor-gate/penguins`.
   */
  marker: string;
  title: string;
  /** The report (Markdown, without the marker); cut at a line boundary to fit GitHub's 65,536 characters. */
  body: string;
  healthy: boolean;
  /** Where the whole report is when the body has to be cut. */
  fullReportHint?: string;
  /** The comment written when the issue is closed; default: a line saying the monitor is healthy again. */
  closeComment?: string;
  /** The label's colour (6 hex digits) and description when it has to be created. */
  labelColor?: string;
  labelDescription?: string;
}

export interface MonitorIssueResult {
  /** The issue's address (none when there was nothing to do). */
  url?: string;
  number?: number;
  action: 'opened' | 'updated' | 'closed' | 'none';
}

const DEFAULT_COLOR = 'd93f0b';
const LABEL_PATTERN = /^[^,]{1,50}$/;

interface IssueJson {
  number: number;
  html_url: string;
  body?: string | null;
  user?: { login?: string } | null;
  pull_request?: unknown;
}

/**
 * Brings the monitor's issue in line with its health:
 * - unhealthy, no open issue of ours: the label is created if missing, an issue opened (`opened`);
 * - unhealthy, our issue open: its title and body replaced by the new report (`updated`);
 * - healthy, our issue open: a comment, then closed as completed (`closed`);
 * - healthy, none open: nothing (`none`).
 * Ours: open, carrying `label`, written by the token's identity (GET /user; the Actions bot for
 * GITHUB_TOKEN), its body starting with the marker. Throws InputError for a bad label or marker,
 * ServiceError naming the step when GitHub refuses (a 403 names the `issues: write` permission) or fails.
 */
export async function syncMonitorIssue(client: GitHubClient, request: MonitorIssueRequest): Promise<MonitorIssueResult> {
  const { owner, repo, label } = request;
  const marker = stickyMarker(request.marker);
  if (!LABEL_PATTERN.test(label) || label.trim() !== label)
    throw new InputError(
      `label ${JSON.stringify(label)} is not valid: expected 1 to 50 characters, no commas, no leading or trailing spaces`,
    );
  if (request.title.trim() === '') throw new InputError('the monitor issue needs a title');
  const repository = `${owner}/${repo}`;
  let step = 'finding the identity of the token (GET /user)';
  try {
    const author = (await tokenIdentity(client)).toLowerCase();
    step = `listing the open issues labelled ${JSON.stringify(label)} in ${repository}`;
    const existing = await findMonitorIssue(client, { owner, repo, label, marker, author });
    if (request.healthy) {
      if (!existing) return { action: 'none' };
      step = `commenting on issue #${existing.number} of ${repository}`;
      const comment = request.closeComment ?? `Healthy again at ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}: closing this issue.`;
      await client.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: fitCommentBody(comment) });
      step = `closing issue #${existing.number} of ${repository}`;
      await client.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
      return { action: 'closed', url: existing.html_url, number: existing.number };
    }
    const body = fitCommentBody(`${marker}\n${request.body}`, request.fullReportHint, COMMENT_BODY_LIMIT);
    const title = request.title.slice(0, 256);
    if (existing) {
      step = `updating issue #${existing.number} of ${repository}`;
      const { data } = await client.rest.issues.update({ owner, repo, issue_number: existing.number, title, body });
      return { action: 'updated', ...issueOf(data, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}') };
    }
    step = `creating the label ${JSON.stringify(label)} in ${repository}`;
    await ensureLabel(client, { owner, repo, label, color: request.labelColor, description: request.labelDescription });
    step = `opening an issue in ${repository}`;
    const { data } = await client.rest.issues.create({ owner, repo, title, body, labels: [label] });
    return { action: 'opened', ...issueOf(data, 'POST /repos/{owner}/{repo}/issues') };
  } catch (error) {
    throw failure(step, error);
  }
}

/**
 * The open issue labelled `label`, written by `author` (lower case), whose body starts with `marker`;
 * the oldest when there are several (GitHub lists newest first). Issues by anyone else, pull requests
 * and markers further down a body are ignored. Throws what Octokit throws.
 */
export async function findMonitorIssue(
  client: GitHubClient,
  where: { owner: string; repo: string; label: string; marker: string; author: string },
): Promise<IssueJson | undefined> {
  let found: IssueJson | undefined;
  const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
    owner: where.owner,
    repo: where.repo,
    labels: where.label,
    state: 'open',
    per_page: 100,
  });
  for await (const page of pages) {
    for (const issue of page.data as IssueJson[]) {
      if (issue.pull_request) continue;
      if (issue.user?.login?.toLowerCase() !== where.author) continue;
      if (!(issue.body ?? '').trimStart().startsWith(where.marker)) continue;
      found = issue;
    }
  }
  return found;
}

/** Creates the label unless it exists (422 already_exists from a concurrent run counts as existing). */
async function ensureLabel(
  client: GitHubClient,
  request: { owner: string; repo: string; label: string; color?: string; description?: string },
): Promise<void> {
  const { owner, repo, label } = request;
  try {
    await client.rest.issues.getLabel({ owner, repo, name: label });
    return;
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  const color = (request.color ?? DEFAULT_COLOR).replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}$/.test(color))
    throw new InputError(`label colour ${JSON.stringify(request.color)} is not valid: expected 6 hex digits`);
  try {
    await client.rest.issues.createLabel({
      owner,
      repo,
      name: label,
      color,
      description: (request.description ?? 'Opened and closed by mlops-actions monitor-gate').slice(0, 100),
    });
  } catch (error) {
    const errors = (error as { response?: { data?: { errors?: { code?: string }[] } } }).response?.data?.errors;
    if (httpStatus(error) === 422 && errors?.some((e) => e.code === 'already_exists')) return;
    throw error;
  }
}

/** The number and address of an issue GitHub says it wrote; a ServiceError naming the endpoint when the answer lacks them. */
function issueOf(data: unknown, endpoint: string): { url: string; number: number } {
  const issue = data as { number?: unknown; html_url?: unknown } | null | undefined;
  if (typeof issue?.number !== 'number' || typeof issue.html_url !== 'string' || issue.html_url === '')
    throw new ServiceError(
      'GitHub',
      `${endpoint} answered without the issue's number and html_url (got ${JSON.stringify(data)?.slice(0, 200) ?? 'nothing'})`,
    );
  return { url: issue.html_url, number: issue.number };
}

function failure(step: string, error: unknown): Error {
  if (error instanceof InputError) return error;
  if (error instanceof ServiceError)
    return new ServiceError('GitHub', `${step} failed: ${error.message.replace(/^GitHub: /, '')}`, { cause: error });
  const status = httpStatus(error);
  const request = (error as { request?: { method?: string; url?: string } } | undefined)?.request;
  const endpoint = request?.url ? ` (${endpointName(request)})` : '';
  const message = `${(error instanceof Error ? error.message : String(error)).replace(/ - https:\/\/docs\.github\.com\S*$/, '')}${endpoint}`;
  const hint =
    status === 403
      ? ': the token needs `issues: write` (permissions: { issues: write })'
      : status === 410
        ? ': issues are turned off for this repository'
        : status !== undefined && status >= 500
          ? ' after retries'
          : '';
  return new ServiceError('GitHub', `${step} failed${status ? ` with ${status}` : ''}: ${message}${hint}`, { cause: error });
}

/** The HTTP status of an Octokit RequestError, undefined for network failures and other errors. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}
