import { createHash } from 'node:crypto';
import type { GitHubOpenApi } from './openapi.js';

/** A repository the double knows; only known repositories answer, the rest are 404 as on GitHub. */
export interface RepositoryState {
  id: number;
  owner: string;
  name: string;
  issues: Map<number, IssueState>;
  /** Labels by lower-cased name (GitHub's label names are case-insensitive). */
  labels: Map<string, StoredLabel>;
  workflows: StoredWorkflow[];
  runs: StoredWorkflowRun[];
  /** Branch and tag names a workflow can be dispatched on. */
  refs: Set<string>;
}

/** An issue or pull request (on GitHub every pull request is also an issue). */
export interface IssueState {
  number: number;
  title: string;
  isPullRequest: boolean;
  headRef: string;
  baseRef: string;
  /** A pull request's head commit. */
  headSha?: string;
  author: string;
  createdAt: Date;
  /** Plain issues created or edited through the API carry these; pull requests added by tests leave them out. */
  body?: string;
  state?: 'open' | 'closed';
  stateReason?: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  labels?: string[];
  closedAt?: Date | null;
  updatedAt?: Date;
}

/** A label of a repository. */
export interface StoredLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** A workflow file of a repository, with what it is triggered by (what GitHub reads from its `on:`). */
export interface StoredWorkflow {
  id: number;
  /** `.github/workflows/<file>` */
  path: string;
  name: string;
  state: 'active' | 'disabled_manually';
  /** Events in its `on:`, e.g. workflow_dispatch, repository_dispatch, push. */
  events: string[];
  /** The `workflow_dispatch` inputs it declares. */
  inputs: string[];
  /** `on.repository_dispatch.types`; every event type when absent. */
  repositoryDispatchTypes?: string[];
}

/** A workflow run, as a dispatch (or a test) created it. */
export interface StoredWorkflowRun {
  id: number;
  owner: string;
  repo: string;
  workflowId: number;
  event: string;
  ref: string;
  inputs?: Record<string, unknown>;
  /** repository_dispatch: the event type and client payload. */
  eventType?: string;
  clientPayload?: Record<string, unknown>;
  actor: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  runNumber: number;
  createdAt: Date;
}

/** A comment on an issue or pull request, as the double stores it. */
export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A deployment (POST /repos/{owner}/{repo}/deployments) and the statuses added to it, oldest first. */
export interface StoredDeployment {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  autoMerge: boolean;
  requiredContexts: string[] | undefined;
  creator: string;
  createdAt: Date;
  statuses: StoredDeploymentStatus[];
}

export interface StoredDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  creator: string;
  createdAt: Date;
}

/** Where the double answers (its own URL) and the web host its `html_url`s point at. */
export interface Hosts {
  apiUrl: string;
  serverUrl: string;
}

const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, node_id: 'MDM6Qm90NDE4OTgyODI=' };

/** GitHub writes timestamps without milliseconds: 2026-11-26T20:32:00Z. */
export function gitHubTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A user as GitHub's `simple-user` schema describes it; `github-actions[bot]` gets its real ids. */
export function userJson(login: string, hosts: Hosts): Record<string, unknown> {
  const isActionsBot = login === ACTIONS_BOT.login;
  const id = isActionsBot ? ACTIONS_BOT.id : stableId(login);
  const api = `${hosts.apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: isActionsBot ? ACTIONS_BOT.node_id : Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: isActionsBot ? 'https://avatars.githubusercontent.com/in/15368?v=4' : `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: isActionsBot ? `${hosts.serverUrl}/apps/github-actions` : `${hosts.serverUrl}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The user a user token belongs to, as GitHub's `public-user` schema describes it (GET /user). */
export function authenticatedUserJson(login: string, hosts: Hosts): Record<string, unknown> {
  const time = gitHubTime(new Date('2020-01-01T00:00:00Z'));
  return {
    ...userJson(login, hosts),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: time,
    updated_at: time,
  };
}

/** An issue comment as GitHub's `issue-comment` schema describes it. */
export function commentJson(comment: StoredComment, issue: IssueState, hosts: Hosts): Record<string, unknown> {
  const repoApi = `${hosts.apiUrl}/repos/${comment.owner}/${comment.repo}`;
  const url = `${repoApi}/issues/comments/${comment.id}`;
  return {
    url,
    html_url: `${hosts.serverUrl}/${comment.owner}/${comment.repo}/${issue.isPullRequest ? 'pull' : 'issues'}/${issue.number}#issuecomment-${comment.id}`,
    issue_url: `${repoApi}/issues/${issue.number}`,
    id: comment.id,
    node_id: `IC_kwDO${Buffer.from(String(comment.id)).toString('base64url')}`,
    user: userJson(comment.author, hosts),
    created_at: gitHubTime(comment.createdAt),
    updated_at: gitHubTime(comment.updatedAt),
    body: comment.body,
    author_association: comment.author.toLowerCase() === comment.owner.toLowerCase() ? 'OWNER' : 'NONE',
    reactions: {
      url: `${url}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
    performed_via_github_app: null,
  };
}

/**
 * A pull request as GitHub's `pull-request` schema describes it, built from GitHub's own example
 * response with this repository's names, numbers and URLs.
 */
export function pullRequestJson(
  api: GitHubOpenApi,
  repository: RepositoryState,
  issue: IssueState,
  commentCount: number,
  hosts: Hosts,
): Record<string, unknown> {
  const fullName = `${repository.owner}/${repository.name}`;
  const text = JSON.stringify(api.example('pull-request'))
    .replaceAll('https://api.github.com', hosts.apiUrl)
    .replaceAll('https://github.com', hosts.serverUrl)
    .replaceAll('octocat/Hello-World', fullName)
    .replace(/\b(pulls|issues|pull)\/1347\b/g, `$1/${issue.number}`);
  const pr = JSON.parse(text) as Record<string, any>;
  const created = gitHubTime(issue.createdAt);
  Object.assign(pr, {
    id: stableId(`${fullName}#${issue.number}`),
    node_id: `PR_kwDO${Buffer.from(`${repository.id}:${issue.number}`).toString('base64url')}`,
    number: issue.number,
    title: issue.title,
    state: 'open',
    locked: false,
    user: userJson(issue.author, hosts),
    created_at: created,
    updated_at: created,
    closed_at: null,
    merged_at: null,
    merged: false,
    merged_by: null,
    comments: commentCount,
    requested_teams: [],
  });
  for (const [side, ref] of [
    ['head', issue.headRef],
    ['base', issue.baseRef],
  ] as const) {
    if (side === 'head') pr.head.sha = issue.headSha ?? createHash('sha1').update(`${fullName}#${issue.number}`).digest('hex');
    pr[side].ref = ref;
    pr[side].label = `${repository.owner}:${ref}`;
    pr[side].repo.id = repository.id;
    pr[side].repo.name = repository.name;
    pr[side].repo.full_name = fullName;
    pr[side].repo.owner.login = repository.owner;
  }
  return pr;
}

/** A deployment as GitHub's `deployment` schema describes it. */
export function deploymentJson(deployment: StoredDeployment, hosts: Hosts): Record<string, unknown> {
  const repoApi = `${hosts.apiUrl}/repos/${deployment.owner}/${deployment.repo}`;
  const url = `${repoApi}/deployments/${deployment.id}`;
  const time = gitHubTime(deployment.createdAt);
  return {
    url,
    id: deployment.id,
    node_id: `DE_kwDO${Buffer.from(String(deployment.id)).toString('base64url')}`,
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: userJson(deployment.creator, hosts),
    created_at: time,
    updated_at: time,
    statuses_url: `${url}/statuses`,
    repository_url: repoApi,
    transient_environment: false,
    production_environment: deployment.environment === 'production',
    performed_via_github_app: null,
  };
}

/** A deployment status as GitHub's `deployment-status` schema describes it. */
export function deploymentStatusJson(deployment: StoredDeployment, status: StoredDeploymentStatus, hosts: Hosts): Record<string, unknown> {
  const repoApi = `${hosts.apiUrl}/repos/${deployment.owner}/${deployment.repo}`;
  const deploymentUrl = `${repoApi}/deployments/${deployment.id}`;
  const time = gitHubTime(status.createdAt);
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: `DES_kwDO${Buffer.from(String(status.id)).toString('base64url')}`,
    state: status.state,
    creator: userJson(status.creator, hosts),
    description: status.description,
    environment: status.environment,
    // GitHub answers "" for URLs never given, which its own description (format: uri) refuses: the double
    // leaves the optional ones out and points the required target_url at the deployment instead.
    target_url: status.logUrl || deploymentUrl,
    created_at: time,
    updated_at: time,
    deployment_url: deploymentUrl,
    repository_url: repoApi,
    ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
    ...(status.logUrl ? { log_url: status.logUrl } : {}),
    performed_via_github_app: null,
  };
}

/** A label as GitHub's `label` schema describes it. */
export function labelJson(owner: string, repo: string, label: StoredLabel, hosts: Hosts): Record<string, unknown> {
  return {
    id: label.id,
    node_id: `LA_kwDO${Buffer.from(String(label.id)).toString('base64url')}`,
    url: `${hosts.apiUrl}/repos/${owner}/${repo}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

/**
 * An issue as GitHub's `issue` schema describes it, built from GitHub's own example response with this
 * repository's names, numbers and URLs.
 */
export function issueJson(
  api: GitHubOpenApi,
  repository: RepositoryState,
  issue: IssueState,
  labels: StoredLabel[],
  commentCount: number,
  hosts: Hosts,
): Record<string, unknown> {
  const fullName = `${repository.owner}/${repository.name}`;
  const text = JSON.stringify(api.example('issue'))
    .replaceAll('https://api.github.com', hosts.apiUrl)
    .replaceAll('https://github.com', hosts.serverUrl)
    .replaceAll('octocat/Hello-World', fullName)
    .replace(/\b(issues|pull)\/1347\b/g, `$1/${issue.number}`);
  const json = JSON.parse(text) as Record<string, any>;
  const state = issue.state ?? 'open';
  Object.assign(json, {
    id: stableId(`${fullName}#${issue.number}`),
    node_id: `I_kwDO${Buffer.from(`${repository.id}:${issue.number}`).toString('base64url')}`,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    state,
    state_reason: issue.stateReason ?? null,
    locked: false,
    user: userJson(issue.author, hosts),
    labels: labels.map((l) => labelJson(repository.owner, repository.name, l, hosts)),
    assignee: null,
    assignees: [],
    milestone: null,
    comments: commentCount,
    created_at: gitHubTime(issue.createdAt),
    updated_at: gitHubTime(issue.updatedAt ?? issue.createdAt),
    closed_at: issue.closedAt ? gitHubTime(issue.closedAt) : null,
    closed_by: null,
    author_association: issue.author.toLowerCase() === repository.owner.toLowerCase() ? 'OWNER' : 'NONE',
  });
  if (issue.isPullRequest) {
    json.pull_request = {
      url: `${hosts.apiUrl}/repos/${fullName}/pulls/${issue.number}`,
      html_url: `${hosts.serverUrl}/${fullName}/pull/${issue.number}`,
      diff_url: `${hosts.serverUrl}/${fullName}/pull/${issue.number}.diff`,
      patch_url: `${hosts.serverUrl}/${fullName}/pull/${issue.number}.patch`,
    };
  } else delete json.pull_request;
  return json;
}

/**
 * A workflow run as GitHub's `workflow-run` schema describes it, built from GitHub's own example
 * response with this repository's names and the run's own id, event, status and times.
 */
export function workflowRunJson(
  api: GitHubOpenApi,
  repository: RepositoryState,
  workflow: StoredWorkflow,
  run: StoredWorkflowRun,
  hosts: Hosts,
): Record<string, unknown> {
  const fullName = `${repository.owner}/${repository.name}`;
  const text = JSON.stringify(api.example('workflow-run'))
    .replaceAll('https://api.github.com', hosts.apiUrl)
    .replaceAll('https://github.com', hosts.serverUrl)
    .replaceAll('octo-org/octo-repo', fullName)
    .replaceAll('octocat/Hello-World', fullName);
  const json = JSON.parse(text) as Record<string, any>;
  const repoApi = `${hosts.apiUrl}/repos/${fullName}`;
  const runApi = `${repoApi}/actions/runs/${run.id}`;
  const time = gitHubTime(run.createdAt);
  Object.assign(json, {
    id: run.id,
    name: workflow.name,
    node_id: `WFR_kwLO${Buffer.from(String(run.id)).toString('base64url')}`,
    head_branch: run.ref.replace(/^refs\/(heads|tags)\//, ''),
    path: workflow.path,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    display_title: workflow.name,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflow.id,
    url: runApi,
    html_url: `${hosts.serverUrl}/${fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: time,
    updated_at: time,
    run_started_at: time,
    actor: userJson(run.actor, hosts),
    triggering_actor: userJson(run.actor, hosts),
    jobs_url: `${runApi}/jobs`,
    logs_url: `${runApi}/logs`,
    artifacts_url: `${runApi}/artifacts`,
    cancel_url: `${runApi}/cancel`,
    rerun_url: `${runApi}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${repoApi}/actions/workflows/${workflow.id}`,
  });
  json.repository.id = repository.id;
  json.repository.name = repository.name;
  json.repository.full_name = fullName;
  json.repository.owner.login = repository.owner;
  json.head_repository.id = repository.id;
  json.head_repository.name = repository.name;
  json.head_repository.full_name = fullName;
  json.head_repository.owner.login = repository.owner;
  return json;
}

/** A deterministic positive id from a name, so ids stay stable across runs. */
function stableId(name: string): number {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return ((hash >>> 0) % 900_000_000) + 100_000_000;
}

/** The `pull-request-simple` of a list: the full pull request without the fields only `pulls/get` gives. */
export function pullRequestSimpleJson(full: Record<string, unknown>): Record<string, unknown> {
  const simple = { ...full };
  for (const key of [
    'merged',
    'mergeable',
    'rebaseable',
    'mergeable_state',
    'merged_by',
    'comments',
    'review_comments',
    'maintainer_can_modify',
    'commits',
    'additions',
    'deletions',
    'changed_files',
  ])
    delete simple[key];
  return simple;
}
