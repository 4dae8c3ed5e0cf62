import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadGitHubOpenApi, type Operation, type OperationParameter } from './openapi.js';
import {
  authenticatedUserJson,
  commentJson,
  pullRequestJson,
  pullRequestSimpleJson,
  type Hosts,
  type IssueState,
  type RepositoryState,
  deploymentJson,
  deploymentStatusJson,
  issueJson,
  labelJson,
  workflowRunJson,
  type StoredComment,
  type StoredDeployment,
  type StoredLabel,
  type StoredWorkflow,
  type StoredWorkflowRun,
} from './state.js';

export type { StoredComment, StoredDeployment, StoredLabel, StoredWorkflow, StoredWorkflowRun } from './state.js';

/** An artifact attestation as GitHub keeps it: the Sigstore bundle and the subjects its in-toto statement names. */
export interface StoredAttestation {
  id: number;
  bundle: Record<string, unknown>;
  subjects: { name: string; digest: Record<string, string> }[];
}

/**
 * The subjects of a bundle's DSSE in-toto statement, or why GitHub would refuse it: it indexes
 * attestations by subject digest, so a bundle without a readable statement is no attestation.
 */
function attestationSubjects(bundle: any): StoredAttestation['subjects'] | string {
  if (typeof bundle?.mediaType !== 'string' || !bundle.mediaType.startsWith('application/vnd.dev.sigstore.bundle'))
    return `bundle.mediaType ${JSON.stringify(bundle?.mediaType)} is not a Sigstore bundle media type`;
  const envelope = bundle.dsseEnvelope;
  if (envelope?.payloadType !== 'application/vnd.in-toto+json') return 'bundle.dsseEnvelope does not hold an in-toto statement';
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0) return 'bundle.dsseEnvelope has no signature';
  if (!bundle.verificationMaterial?.certificate && !bundle.verificationMaterial?.x509CertificateChain)
    return 'bundle.verificationMaterial has no signing certificate';
  let statement: any;
  try {
    statement = JSON.parse(Buffer.from(String(envelope.payload), 'base64').toString('utf8'));
  } catch {
    return 'bundle.dsseEnvelope.payload is not base64 JSON';
  }
  const subjects = statement?.subject;
  if (
    !Array.isArray(subjects) ||
    subjects.length === 0 ||
    !subjects.every((x: any) => typeof x?.name === 'string' && x.digest && typeof x.digest === 'object')
  )
    return 'the in-toto statement has no subject with a digest';
  return subjects;
}

/** GitHub refuses issue comment bodies longer than this many characters. */
export const COMMENT_BODY_LIMIT = 65_536;

export interface GitHubDoubleOptions {
  /** When set, every request must send `authorization: token <it>` or `Bearer <it>`. */
  token?: string;
  /** The user the token belongs to; authors the comments created through the API. */
  login?: string;
  /** The web host `html_url`s point at. */
  serverUrl?: string;
}

/** A request the real GitHub would refuse, or a response that breaks GitHub's own description. */
export interface Violation {
  kind: 'route' | 'path-parameter' | 'query' | 'header' | 'body' | 'rejected' | 'response' | 'unimplemented';
  method: string;
  path: string;
  message: string;
}

/** One request as the double received and answered it. */
export interface RecordedRequest {
  method: string;
  /** Path and query string, as sent. */
  path: string;
  operationId?: string;
  status: number;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface GitHubDouble {
  /** Base URL, e.g. http://127.0.0.1:41234: use it as GITHUB_API_URL / Octokit `baseUrl`. */
  readonly url: string;
  readonly violations: Violation[];
  readonly requests: RecordedRequest[];
  /** Adds a pull request (creating its repository when needed). */
  addPullRequest(pr: {
    owner: string;
    repo: string;
    number: number;
    title?: string;
    headRef?: string;
    baseRef?: string;
    /** The head commit (default: a SHA derived from the number), which a workflow_run job finds the pull request by. */
    headSha?: string;
    author?: string;
  }): void;
  /** Adds a plain issue (creating its repository when needed). */
  addIssue(issue: {
    owner: string;
    repo: string;
    number: number;
    title?: string;
    author?: string;
    body?: string;
    labels?: string[];
    state?: 'open' | 'closed';
  }): void;
  /** Stores a comment directly, as if someone had posted it. */
  addComment(comment: { owner: string; repo: string; issueNumber: number; body: string; author?: string }): StoredComment;
  /** The comments of an issue or pull request, oldest first. */
  comments(owner: string, repo: string, issueNumber: number): StoredComment[];
  /** Adds a repository with nothing in it (deployments need no issue). */
  addRepository(owner: string, repo: string): void;
  /** The deployments of a repository with their statuses, oldest first. */
  deployments(owner: string, repo: string): StoredDeployment[];
  /**
   * Makes commit status checks on `ref` pending, as the run's own checks are while it runs: a deployment
   * of it that does not pass `required_contexts: []` is refused with 409, as GitHub does.
   */
  setPendingChecks(ref: string, contexts: string[]): void;
  /**
   * Adds a workflow file (creating its repository when needed), triggered by `events` (default
   * workflow_dispatch) and declaring `inputs` for workflow_dispatch. Returns its id.
   */
  addWorkflow(workflow: {
    owner: string;
    repo: string;
    /** File name under .github/workflows/, e.g. `retrain.yml`. */
    file: string;
    name?: string;
    events?: string[];
    inputs?: string[];
    repositoryDispatchTypes?: string[];
    disabled?: boolean;
  }): number;
  /** Adds a branch or tag a workflow can be dispatched on (`main` exists from the start). */
  addRef(owner: string, repo: string, ref: string): void;
  /** Stores a run of a workflow directly, as if it had been started at `createdAt` (default now) by `event`. */
  addWorkflowRun(run: { owner: string; repo: string; file: string; event: string; createdAt?: Date; actor?: string }): StoredWorkflowRun;
  /** The runs of a repository, oldest first (dispatches create them, as GitHub does). */
  workflowRuns(owner: string, repo: string): StoredWorkflowRun[];
  /** The plain issues of a repository (pull requests left out), oldest first. */
  issues(owner: string, repo: string): (IssueState & { labels: string[] })[];
  /** The labels of a repository. */
  labels(owner: string, repo: string): StoredLabel[];
  /** The artifact attestations stored in a repository, oldest first. */
  attestations(owner: string, repo: string): StoredAttestation[];
  /**
   * Answers the next `times` requests matching `method` ('*' for any) and `pathPattern` with `status`
   * and GitHub's JSON error body. `pathPattern` is an OpenAPI template
   * ('/repos/{owner}/{repo}/issues/{issue_number}/comments'), a concrete path, or a RegExp on the path.
   */
  failNext(method: string, pathPattern: string | RegExp, status: number, times?: number): void;
  /**
   * Holds the answers to the next `times` matching requests for `delayMs` (a GitHub that is slow or
   * never answers: the connection stays open; close() ends it).
   */
  delayNext(method: string, pathPattern: string | RegExp, delayMs: number, times?: number): void;
  /**
   * Answers the next `times` matching requests with 2xx and `body` instead of GitHub's response (a
   * malformed answer, breaking GitHub's description on purpose; not recorded as a violation).
   */
  malformNext(method: string, pathPattern: string | RegExp, status: number, body: unknown, times?: number): void;
  close(): Promise<void>;
}

interface Fault {
  method: string;
  pattern: string | RegExp;
  status: number;
  remaining: number;
  /** Hold the answer this long instead of failing (status unused). */
  delayMs?: number;
  /** Answer with this body and status instead of GitHub's. */
  malformed?: { body: unknown };
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class Refusal {
  constructor(
    readonly kind: Violation['kind'],
    readonly status: number,
    readonly message: string,
    readonly body?: Record<string, unknown>,
  ) {}
}

const DEFAULT_LOGIN = 'github-actions[bot]';
const FIRST_COMMENT_ID = 2_750_000_000; // above 2^31, as real comment ids are
const STATUS_TEXT: Record<number, string> = {
  400: 'Problems parsing JSON',
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Validation Failed',
  429: 'API rate limit exceeded',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

/**
 * Starts a loopback stand-in for GitHub's REST API on 127.0.0.1 (random port). Every request is
 * checked against GitHub's published OpenAPI description; what GitHub would refuse is answered
 * with GitHub's error and recorded in `violations`.
 */
export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const api = loadGitHubOpenApi();
  const login = options.login ?? DEFAULT_LOGIN;
  const repositories = new Map<string, RepositoryState>();
  const comments = new Map<number, StoredComment>();
  const faults: Fault[] = [];
  const deployments = new Map<number, StoredDeployment>();
  const pendingChecks = new Map<string, string[]>();
  let nextDeploymentId = 1_900_000_001;
  let nextLabelId = 6_100_000_001;
  let nextWorkflowId = 161_000_001;
  let nextRunId = 12_700_000_001;
  let nextDeploymentStatusId = 3_800_000_001;
  let nextAttestationId = 15_400_001;
  const attestations: (StoredAttestation & { repository: string })[] = [];
  const violations: Violation[] = [];
  const requests: RecordedRequest[] = [];
  let nextCommentId = FIRST_COMMENT_ID;
  let nextRepositoryId = 700_000_001;
  const hosts: Hosts = { apiUrl: '', serverUrl: options.serverUrl ?? 'https://github.com' };

  const repositoryKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
  const ensureRepository = (owner: string, name: string): RepositoryState => {
    const key = repositoryKey(owner, name);
    let repository = repositories.get(key);
    if (!repository) {
      repository = {
        id: nextRepositoryId++,
        owner,
        name,
        issues: new Map(),
        labels: new Map(),
        workflows: [],
        runs: [],
        refs: new Set(['main']),
      };
      repositories.set(key, repository);
    }
    return repository;
  };
  const issueComments = (owner: string, repo: string, issueNumber: number) =>
    [...comments.values()]
      .filter((c) => repositoryKey(c.owner, c.repo) === repositoryKey(owner, repo) && c.issueNumber === issueNumber)
      .sort((a, b) => a.id - b.id);
  const storeComment = (repository: RepositoryState, issueNumber: number, body: string, author: string) => {
    const now = new Date();
    const comment: StoredComment = {
      id: nextCommentId++,
      owner: repository.owner,
      repo: repository.name,
      issueNumber,
      body,
      author,
      createdAt: now,
      updatedAt: now,
    };
    comments.set(comment.id, comment);
    return comment;
  };

  /** The labels named on an issue, created on the fly as GitHub does for a writer who names a missing one. */
  const labelsOf = (repository: RepositoryState, names: string[]): StoredLabel[] =>
    names.map((name) => {
      const key = name.toLowerCase();
      let label = repository.labels.get(key);
      if (!label) {
        label = { id: nextLabelId++, name, color: 'ededed', description: null };
        repository.labels.set(key, label);
      }
      return label;
    });
  const issueOf = (repository: RepositoryState, issue: IssueState) =>
    issueJson(
      api,
      repository,
      issue,
      labelsOf(repository, issue.labels ?? []),
      issueComments(repository.owner, repository.name, issue.number).length,
      hosts,
    );
  /** A workflow by numeric id or by file name, as GitHub's {workflow_id} takes either. */
  const findWorkflow = (repository: RepositoryState, idOrFile: number | string): StoredWorkflow | undefined =>
    repository.workflows.find((w) =>
      /^\d+$/.test(String(idOrFile)) ? w.id === Number(idOrFile) : w.path.split('/').pop() === String(idOrFile),
    );
  const storeRun = (
    repository: RepositoryState,
    workflow: StoredWorkflow,
    run: Omit<StoredWorkflowRun, 'id' | 'owner' | 'repo' | 'workflowId' | 'status' | 'conclusion' | 'runNumber' | 'createdAt'> & {
      createdAt?: Date;
    },
  ): StoredWorkflowRun => {
    const stored: StoredWorkflowRun = {
      ...run,
      id: nextRunId++,
      owner: repository.owner,
      repo: repository.name,
      workflowId: workflow.id,
      status: 'queued',
      conclusion: null,
      runNumber: repository.runs.filter((r) => r.workflowId === workflow.id).length + 1,
      createdAt: run.createdAt ?? new Date(),
    };
    repository.runs.push(stored);
    return stored;
  };
  const hasRef = (repository: RepositoryState, ref: string) => repository.refs.has(ref.replace(/^refs\/(heads|tags)\//, ''));

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path: req.url ?? '/', status: 0, headers: req.headers };
    requests.push(record);
    const delayPath = repositoryAlias(new URL(req.url ?? '/', hosts.apiUrl).pathname);
    const delay = takeFault(method, delayPath, api.resolve(method, delayPath)?.template, 'delay');
    if (delay) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay.delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed || res.writableEnded) return;
    }
    let reply: Reply;
    try {
      reply = answer(method, req, raw, record);
    } catch (error) {
      if (!(error instanceof Refusal)) {
        // A bug in the double must fail the test that hit it, not hang it.
        violations.push({ kind: 'response', method, path: record.path, message: `the double failed: ${String(error)}` });
        record.status = 500;
        send(res, { status: 500, body: { message: 'Server Error' } });
        return;
      }
      violations.push({ kind: error.kind, method, path: record.path, message: error.message });
      reply = {
        status: error.status,
        body: error.body ?? {
          message: STATUS_TEXT[error.status] ?? error.message,
          documentation_url: 'https://docs.github.com/rest',
          status: String(error.status),
        },
      };
    }
    record.status = reply.status;
    send(res, reply);
  }

  function answer(method: string, req: IncomingMessage, raw: string, record: RecordedRequest): Reply {
    const url = new URL(req.url ?? '/', hosts.apiUrl);
    const pathname = repositoryAlias(url.pathname);
    checkHeaders(req);
    const route = api.resolve(method, pathname);
    if (!route) throw new Refusal('route', 404, `no operation in GitHub's REST API matches ${method} ${pathname}`);
    const operation = route.operation;
    if (!operation) {
      throw new Refusal('route', 404, `${route.template} exists, but not for ${method} (only ${route.methods.join(', ')})`);
    }
    record.operationId = operation.operationId;
    const pathParams = checkPathParameters(operation, route.pathParams);
    const query = checkQuery(operation, url.searchParams);
    const body = checkBody(operation, req, raw);
    record.body = body;

    const fault = takeFault(method, pathname, operation.template, 'fail');
    if (fault) return errorReply(fault.status, operation);
    const malformed = takeFault(method, pathname, operation.template, 'malformed');
    if (malformed) return { status: malformed.status, body: malformed.malformed!.body };

    const reply = dispatch(operation, pathParams, query, body, url);
    checkResponse(method, record.path, operation, reply);
    return reply;
  }

  /** GitHub's Link headers point at /repositories/{id}/…; those URLs answer like /repos/{owner}/{repo}/…. */
  function repositoryAlias(pathname: string): string {
    const match = /^\/repositories\/(\d+)(\/.+)$/.exec(pathname);
    if (!match) return pathname;
    const repository = [...repositories.values()].find((r) => r.id === Number(match[1]));
    return repository ? `/repos/${repository.owner}/${repository.name}${match[2]}` : pathname;
  }

  function checkHeaders(req: IncomingMessage): void {
    if (!req.headers['user-agent']) {
      throw new Refusal('header', 403, 'no User-Agent header: GitHub refuses requests without one', {
        message:
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.',
      });
    }
    const accept = req.headers.accept;
    if (!accept || !/application\/(vnd\.github[^,]*|json)|\*\/\*/.test(accept)) {
      throw new Refusal(
        'header',
        415,
        `Accept header ${JSON.stringify(accept ?? null)} does not ask for application/vnd.github+json or application/json`,
      );
    }
    if (options.token !== undefined) {
      const match = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
      if (!match || match[1] !== options.token) {
        throw new Refusal('header', 401, `authorization header ${req.headers.authorization ? 'carries the wrong token' : 'is missing'}`);
      }
    }
  }

  function checkPathParameters(operation: Operation, raw: Record<string, string>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const param of operation.parameters.filter((p) => p.in === 'path')) {
      const value = coerce(raw[param.name] ?? '', param.schema);
      const errors = api.check(param.schema, value);
      if (errors.length > 0) {
        throw new Refusal(
          'path-parameter',
          404,
          `path parameter ${param.name}=${JSON.stringify(raw[param.name])} of ${operation.operationId}: ${errors.join('; ')}`,
        );
      }
      values[param.name] = value;
    }
    return values;
  }

  function checkQuery(operation: Operation, search: URLSearchParams): Record<string, unknown> {
    const declared = new Map<string, OperationParameter>(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
    const values: Record<string, unknown> = {};
    for (const [name, raw] of search) {
      const param = declared.get(name);
      if (!param) {
        throw validationFailed(
          'query',
          operation,
          `query parameter ${name} is not declared by ${operation.operationId} (declared: ${[...declared.keys()].join(', ') || 'none'})`,
        );
      }
      const value = coerce(raw, param.schema);
      const errors = api.check(param.schema, value);
      if (errors.length > 0)
        throw validationFailed('query', operation, `query parameter ${name}=${JSON.stringify(raw)}: ${errors.join('; ')}`);
      values[name] = value;
    }
    for (const param of declared.values()) {
      if (param.required && values[param.name] === undefined)
        throw validationFailed('query', operation, `required query parameter ${param.name} is missing`);
    }
    return values;
  }

  function checkBody(operation: Operation, req: IncomingMessage, raw: string): unknown {
    if (raw.length === 0) {
      if (operation.requestBody?.required)
        throw validationFailed('body', operation, `${operation.operationId} requires a JSON body, none was sent`);
      return undefined;
    }
    if (!operation.requestBody)
      throw validationFailed('body', operation, `${operation.operationId} takes no request body, got ${raw.length} bytes`);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      throw new Refusal('header', 415, `Content-Type ${JSON.stringify(req.headers['content-type'] ?? null)} is not application/json`);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new Refusal('body', 400, 'the body is not valid JSON', {
        message: 'Problems parsing JSON',
        documentation_url: operation.documentationUrl,
        status: '400',
      });
    }
    const errors = api.check(operation.requestBody.schema, body);
    if (errors.length > 0) throw validationFailed('body', operation, `body of ${operation.operationId}: ${errors.join('; ')}`);
    return body;
  }

  function takeFault(
    method: string,
    pathname: string,
    template: string | undefined,
    kind: 'fail' | 'delay' | 'malformed',
  ): Fault | undefined {
    const fault = faults.find(
      (f) =>
        f.remaining > 0 &&
        (kind === 'delay'
          ? f.delayMs !== undefined
          : kind === 'malformed'
            ? f.malformed !== undefined
            : f.delayMs === undefined && f.malformed === undefined) &&
        (f.method === '*' || f.method === method) &&
        (f.pattern instanceof RegExp ? f.pattern.test(pathname) : f.pattern === template || f.pattern === pathname),
    );
    if (fault) fault.remaining--;
    return fault;
  }

  function checkResponse(method: string, path: string, operation: Operation, reply: Reply): void {
    const status = String(reply.status);
    let schema = operation.responses.get(status);
    if (!operation.responses.has(status)) {
      // The description leaves out errors GitHub returns everywhere (a 404 on PATCH of a deleted comment).
      if (reply.status < 400) {
        violations.push({ kind: 'response', method, path, message: `${operation.operationId} does not declare status ${status}` });
        return;
      }
      schema = { $ref: '#/components/schemas/basic-error' };
    }
    if (!schema) return;
    const errors = api.check(schema, reply.body);
    if (errors.length > 0) {
      violations.push({
        kind: 'response',
        method,
        path,
        message: `${status} response of ${operation.operationId}: ${errors.slice(0, 10).join('; ')}`,
      });
    }
  }

  function dispatch(operation: Operation, params: Record<string, any>, query: Record<string, any>, body: any, url: URL): Reply {
    if (operation.operationId === 'users/get-authenticated') {
      // An installation token (GITHUB_TOKEN, whose identity is an app's bot) cannot read /user.
      if (login.endsWith('[bot]')) return errorReply(403, operation);
      return { status: 200, body: authenticatedUserJson(login, hosts) };
    }
    const repository = repositories.get(repositoryKey(params.owner, params.repo));
    if (!repository) return errorReply(404, operation);
    switch (operation.operationId) {
      case 'pulls/get': {
        const issue = repository.issues.get(params.pull_number);
        if (!issue?.isPullRequest) return errorReply(404, operation);
        const count = issueComments(repository.owner, repository.name, issue.number).length;
        return { status: 200, body: pullRequestJson(api, repository, issue, count, hosts) };
      }
      case 'pulls/list': {
        // Open pull requests (the double's are never closed or merged), newest first, as GitHub's default sort.
        const wanted = query.state ?? 'open';
        const all = [...repository.issues.values()]
          .filter((i) => i.isPullRequest && (wanted === 'open' || wanted === 'all'))
          .filter(
            (i) =>
              (query.head === undefined || query.head === `${repository.owner}:${i.headRef}`) &&
              (query.base === undefined || query.base === i.baseRef),
          )
          .sort((a, b) => b.number - a.number);
        const perPage = query.per_page === undefined || query.per_page < 1 ? 30 : Math.min(query.per_page, 100);
        const page = query.page === undefined || query.page < 1 ? 1 : query.page;
        const link = linkHeader(
          `/repositories/${repository.id}/pulls`,
          url.searchParams,
          page,
          Math.ceil(all.length / perPage),
          hosts.apiUrl,
        );
        const body = all
          .slice((page - 1) * perPage, page * perPage)
          .map((issue) =>
            pullRequestSimpleJson(
              pullRequestJson(api, repository, issue, issueComments(repository.owner, repository.name, issue.number).length, hosts),
            ),
          );
        return { status: 200, body, headers: link ? { link } : {} };
      }
      case 'issues/list-comments': {
        const issue = repository.issues.get(params.issue_number);
        if (!issue) return errorReply(404, operation);
        const since = query.since === undefined ? undefined : Date.parse(query.since);
        const all = issueComments(repository.owner, repository.name, issue.number).filter(
          (c) => since === undefined || c.updatedAt.getTime() >= since,
        );
        const perPage = query.per_page === undefined || query.per_page < 1 ? 30 : Math.min(query.per_page, 100);
        const page = query.page === undefined || query.page < 1 ? 1 : query.page;
        const pageItems = all.slice((page - 1) * perPage, page * perPage);
        const lastPage = Math.ceil(all.length / perPage);
        const link = linkHeader(
          `/repositories/${repository.id}/issues/${issue.number}/comments`,
          url.searchParams,
          page,
          lastPage,
          hosts.apiUrl,
        );
        return { status: 200, body: pageItems.map((c) => commentJson(c, issue, hosts)), headers: link ? { link } : {} };
      }
      case 'issues/create-comment': {
        const issue = repository.issues.get(params.issue_number);
        if (!issue) return errorReply(404, operation);
        checkCommentBody(operation, body.body);
        const comment = storeComment(repository, issue.number, body.body, login);
        const json = commentJson(comment, issue, hosts);
        return { status: 201, body: json, headers: { location: json.url as string } };
      }
      case 'issues/get-comment':
      case 'issues/update-comment':
      case 'issues/delete-comment': {
        const comment = comments.get(params.comment_id);
        if (!comment || repositoryKey(comment.owner, comment.repo) !== repositoryKey(repository.owner, repository.name))
          return errorReply(404, operation);
        const issue = repository.issues.get(comment.issueNumber)!;
        if (operation.operationId === 'issues/delete-comment') {
          comments.delete(comment.id);
          return { status: 204 };
        }
        if (operation.operationId === 'issues/update-comment') {
          checkCommentBody(operation, body.body);
          comment.body = body.body;
          comment.updatedAt = new Date();
        }
        return { status: 200, body: commentJson(comment, issue, hosts) };
      }
      case 'repos/create-deployment': {
        const ref: string = body.ref;
        const required: string[] | undefined = body.required_contexts;
        // GitHub checks the ref's commit statuses against required_contexts (all of them when it is left out).
        const pending = (pendingChecks.get(ref) ?? []).filter((context) => required === undefined || required.includes(context));
        if (pending.length > 0) {
          return {
            status: 409,
            body: {
              message: `Conflict: Commit status checks failed for ${ref}.`,
              errors: pending.map((context) => ({
                contexts: [{ context, state: 'pending' }],
                resource: 'Deployment',
                field: 'required_contexts',
                code: 'invalid',
              })),
              documentation_url: operation.documentationUrl,
              status: '409',
            },
          };
        }
        const deployment: StoredDeployment = {
          id: nextDeploymentId++,
          owner: repository.owner,
          repo: repository.name,
          sha: /^[0-9a-f]{40}$/.test(ref) ? ref : 'ffac537e6cbbf934b08745a378932722df287a53',
          ref,
          task: body.task ?? 'deploy',
          environment: body.environment ?? 'production',
          description: body.description ?? null,
          payload: typeof body.payload === 'string' ? (body.payload === '' ? {} : JSON.parse(body.payload)) : (body.payload ?? {}),
          autoMerge: body.auto_merge ?? true,
          requiredContexts: required,
          creator: login,
          createdAt: new Date(),
          statuses: [],
        };
        deployments.set(deployment.id, deployment);
        return { status: 201, body: deploymentJson(deployment, hosts) };
      }
      case 'repos/create-attestation': {
        const subjects = attestationSubjects(body.bundle);
        if (typeof subjects === 'string') return rejected(operation, 'Attestation', 'bundle', subjects);
        const id = nextAttestationId++;
        attestations.push({ id, bundle: body.bundle, subjects, repository: repositoryKey(repository.owner, repository.name) });
        return { status: 201, body: { id } };
      }
      case 'repos/get-deployment':
      case 'repos/create-deployment-status':
      case 'repos/list-deployment-statuses': {
        const deployment = deployments.get(params.deployment_id);
        if (!deployment || repositoryKey(deployment.owner, deployment.repo) !== repositoryKey(repository.owner, repository.name))
          return errorReply(404, operation);
        if (operation.operationId === 'repos/get-deployment') return { status: 200, body: deploymentJson(deployment, hosts) };
        if (operation.operationId === 'repos/list-deployment-statuses')
          return { status: 200, body: [...deployment.statuses].reverse().map((s) => deploymentStatusJson(deployment, s, hosts)) };
        if (body.auto_inactive !== false && body.state === 'success') {
          // Earlier deployments of the environment that succeeded become inactive.
          for (const other of deployments.values()) {
            const last = other.statuses.at(-1);
            if (other !== deployment && other.environment === deployment.environment && last?.state === 'success')
              other.statuses.push({ ...last, id: nextDeploymentStatusId++, state: 'inactive', createdAt: new Date() });
          }
        }
        const status = {
          id: nextDeploymentStatusId++,
          state: body.state,
          description: body.description ?? '',
          environment: body.environment ?? deployment.environment,
          environmentUrl: body.environment_url ?? '',
          logUrl: body.log_url ?? body.target_url ?? '',
          creator: login,
          createdAt: new Date(),
        };
        deployment.statuses.push(status);
        return {
          status: 201,
          body: deploymentStatusJson(deployment, status, hosts),
          headers: {
            location: `${hosts.apiUrl}/repos/${repository.owner}/${repository.name}/deployments/${deployment.id}/statuses/${status.id}`,
          },
        };
      }
      case 'issues/list-for-repo': {
        const state = query.state ?? 'open';
        const wanted: string[] = query.labels
          ? String(query.labels)
              .split(',')
              .map((l: string) => l.trim().toLowerCase())
          : [];
        const all = [...repository.issues.values()]
          .filter((i) => state === 'all' || (i.state ?? 'open') === state)
          .filter((i) => wanted.every((name) => (i.labels ?? []).some((l) => l.toLowerCase() === name)))
          .filter((i) => query.creator === undefined || i.author.toLowerCase() === String(query.creator).toLowerCase())
          .sort((a, b) => (query.direction === 'asc' ? 1 : -1) * (a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number));
        return paged(all, query, url, `/repositories/${repository.id}/issues`, (i) => issueOf(repository, i));
      }
      case 'issues/create': {
        const title = String(body.title ?? '');
        if (title.trim() === '') return rejected(operation, 'Issue', 'title', "Title can't be blank");
        if (body.body !== undefined && body.body !== null && [...String(body.body)].length > COMMENT_BODY_LIMIT)
          return rejected(operation, 'Issue', 'body', `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`);
        const number = Math.max(0, ...repository.issues.keys()) + 1;
        const now = new Date();
        const issue: IssueState = {
          number,
          title,
          isPullRequest: false,
          headRef: '',
          baseRef: '',
          author: login,
          createdAt: now,
          updatedAt: now,
          body: body.body ?? undefined,
          state: 'open',
          stateReason: null,
          closedAt: null,
          labels: labelsOf(
            repository,
            (body.labels ?? []).map((l: string | { name?: string }) => (typeof l === 'string' ? l : (l.name ?? ''))),
          ).map((l) => l.name),
        };
        repository.issues.set(number, issue);
        const json = issueOf(repository, issue);
        return { status: 201, body: json, headers: { location: json.url as string } };
      }
      case 'issues/get':
      case 'issues/update': {
        const issue = repository.issues.get(params.issue_number);
        if (!issue) return errorReply(404, operation);
        if (operation.operationId === 'issues/update') {
          if (body.body !== undefined && body.body !== null && [...String(body.body)].length > COMMENT_BODY_LIMIT)
            return rejected(operation, 'Issue', 'body', `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`);
          if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
          if (body.body !== undefined) issue.body = body.body ?? undefined;
          if (body.labels !== undefined)
            issue.labels = labelsOf(
              repository,
              body.labels.map((l: string | { name?: string }) => (typeof l === 'string' ? l : (l.name ?? ''))),
            ).map((l) => l.name);
          if (body.state !== undefined && body.state !== (issue.state ?? 'open')) {
            issue.state = body.state;
            issue.closedAt = body.state === 'closed' ? new Date() : null;
            issue.stateReason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
          }
          issue.updatedAt = new Date();
        }
        return { status: 200, body: issueOf(repository, issue) };
      }
      case 'issues/get-label': {
        const label = repository.labels.get(String(params.name).toLowerCase());
        if (!label) return errorReply(404, operation);
        return { status: 200, body: labelJson(repository.owner, repository.name, label, hosts) };
      }
      case 'issues/create-label': {
        const name = String(body.name ?? '');
        if (repository.labels.has(name.toLowerCase()))
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
              documentation_url: operation.documentationUrl,
              status: '422',
            },
          };
        if (body.color !== undefined && !/^[0-9a-fA-F]{6}$/.test(body.color)) return rejected(operation, 'Label', 'color', 'is invalid');
        const label: StoredLabel = {
          id: nextLabelId++,
          name,
          color: (body.color ?? 'ededed').toLowerCase(),
          description: body.description ?? null,
        };
        repository.labels.set(name.toLowerCase(), label);
        const json = labelJson(repository.owner, repository.name, label, hosts);
        return { status: 201, body: json, headers: { location: json.url as string } };
      }
      case 'actions/create-workflow-dispatch': {
        const workflow = findWorkflow(repository, params.workflow_id);
        if (!workflow) return errorReply(404, operation);
        if (workflow.state !== 'active')
          return githubMessage(operation, 422, "Cannot trigger a 'workflow_dispatch' on a disabled workflow");
        if (!workflow.events.includes('workflow_dispatch'))
          return githubMessage(operation, 422, "Workflow does not have 'workflow_dispatch' trigger");
        if (!hasRef(repository, body.ref)) return githubMessage(operation, 422, `No ref found for: ${body.ref}`);
        const unexpected = Object.keys(body.inputs ?? {}).filter((name) => !workflow.inputs.includes(name));
        if (unexpected.length > 0) return githubMessage(operation, 422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
        const run = storeRun(repository, workflow, { event: 'workflow_dispatch', ref: body.ref, inputs: body.inputs ?? {}, actor: login });
        if (body.return_run_details !== true) return { status: 204 };
        return {
          status: 200,
          body: {
            workflow_run_id: run.id,
            run_url: `${hosts.apiUrl}/repos/${repository.owner}/${repository.name}/actions/runs/${run.id}`,
            html_url: `${hosts.serverUrl}/${repository.owner}/${repository.name}/actions/runs/${run.id}`,
          },
        };
      }
      case 'repos/create-dispatch-event': {
        // Every active workflow listening to repository_dispatch (of this type, when it names types) starts a run.
        for (const workflow of repository.workflows) {
          if (workflow.state !== 'active' || !workflow.events.includes('repository_dispatch')) continue;
          if (workflow.repositoryDispatchTypes && !workflow.repositoryDispatchTypes.includes(body.event_type)) continue;
          storeRun(repository, workflow, {
            event: 'repository_dispatch',
            ref: 'main',
            eventType: body.event_type,
            clientPayload: body.client_payload ?? {},
            actor: login,
          });
        }
        return { status: 204 };
      }
      case 'actions/list-workflow-runs':
      case 'actions/list-workflow-runs-for-repo': {
        let workflow: StoredWorkflow | undefined;
        if (operation.operationId === 'actions/list-workflow-runs') {
          workflow = findWorkflow(repository, params.workflow_id);
          if (!workflow) return errorReply(404, operation);
        }
        if (query.created !== undefined)
          throw new Refusal('unimplemented', 501, 'the GitHub double does not filter runs by `created` (search syntax)');
        const runs = repository.runs
          .filter((r) => !workflow || r.workflowId === workflow.id)
          .filter((r) => query.event === undefined || r.event === query.event)
          .filter((r) => query.branch === undefined || r.ref.replace(/^refs\/(heads|tags)\//, '') === query.branch)
          .filter((r) => query.status === undefined || r.status === query.status || r.conclusion === query.status)
          // Newest first, as GitHub lists them.
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
        const path = workflow
          ? `/repositories/${repository.id}/actions/workflows/${workflow.id}/runs`
          : `/repositories/${repository.id}/actions/runs`;
        const reply = paged(runs, query, url, path, (r) =>
          workflowRunJson(
            api,
            repository,
            repository.workflows.find((w) => w.id === r.workflowId)!,
            r,
            hosts,
          ),
        );
        return { ...reply, body: { total_count: runs.length, workflow_runs: reply.body } };
      }
      default:
        throw new Refusal(
          'unimplemented',
          501,
          `the GitHub double does not implement ${operation.operationId} (${operation.method} ${operation.template})`,
        );
    }
  }

  /** One page of `items` (per_page, at most 100; page) with GitHub's Link header. */
  function paged<T>(items: T[], query: Record<string, any>, url: URL, path: string, json: (item: T) => unknown): Reply {
    const perPage = query.per_page === undefined || query.per_page < 1 ? 30 : Math.min(query.per_page, 100);
    const page = query.page === undefined || query.page < 1 ? 1 : query.page;
    const link = linkHeader(path, url.searchParams, page, Math.ceil(items.length / perPage), hosts.apiUrl);
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage).map(json), headers: link ? { link } : {} };
  }

  /** GitHub's own limits on comment bodies, beyond what the OpenAPI description says. */
  function checkCommentBody(operation: Operation, text: string): void {
    const length = [...text].length;
    const problem =
      length > COMMENT_BODY_LIMIT
        ? `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`
        : text.trim() === ''
          ? "Body can't be blank"
          : undefined;
    if (!problem) return;
    throw new Refusal('rejected', 422, `${operation.operationId}: ${problem} (got ${length})`, {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: problem }],
      documentation_url: operation.documentationUrl,
      status: '422',
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  hosts.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addIssue = (
    issue: {
      owner: string;
      repo: string;
      number: number;
      title?: string;
      author?: string;
      body?: string;
      labels?: string[];
      state?: 'open' | 'closed';
    },
    pull?: { headRef?: string; baseRef?: string; headSha?: string },
  ) => {
    const repository = ensureRepository(issue.owner, issue.repo);
    const now = new Date();
    repository.issues.set(issue.number, {
      number: issue.number,
      title: issue.title ?? `${pull ? 'Pull request' : 'Issue'} ${issue.number}`,
      isPullRequest: pull !== undefined,
      headRef: pull?.headRef ?? `feature-${issue.number}`,
      baseRef: pull?.baseRef ?? 'main',
      ...(pull?.headSha ? { headSha: pull.headSha } : {}),
      author: issue.author ?? 'octocat',
      createdAt: now,
      ...(issue.body !== undefined ? { body: issue.body } : {}),
      ...(issue.labels ? { labels: labelsOf(repository, issue.labels).map((l) => l.name) } : {}),
      ...(issue.state ? { state: issue.state, closedAt: issue.state === 'closed' ? now : null } : {}),
    } satisfies IssueState);
  };

  return {
    url: hosts.apiUrl,
    violations,
    requests,
    addPullRequest: (pr) => addIssue(pr, { headRef: pr.headRef, baseRef: pr.baseRef, ...(pr.headSha ? { headSha: pr.headSha } : {}) }),
    addIssue: (issue) => addIssue(issue),
    addComment: ({ owner, repo, issueNumber, body, author }) => {
      const repository = repositories.get(repositoryKey(owner, repo));
      if (!repository?.issues.has(issueNumber))
        throw new Error(`GitHub double: add ${owner}/${repo}#${issueNumber} before commenting on it`);
      return storeComment(repository, issueNumber, body, author ?? 'octocat');
    },
    comments: (owner, repo, issueNumber) => issueComments(owner, repo, issueNumber).map((c) => ({ ...c })),
    addRepository: (owner, repo) => void ensureRepository(owner, repo),
    deployments: (owner, repo) =>
      [...deployments.values()]
        .filter((d) => repositoryKey(d.owner, d.repo) === repositoryKey(owner, repo))
        .map((d) => ({ ...d, statuses: d.statuses.map((s) => ({ ...s })) })),
    setPendingChecks: (ref, contexts) => void pendingChecks.set(ref, contexts),
    attestations: (owner, repo) =>
      attestations.filter((a) => a.repository === repositoryKey(owner, repo)).map(({ id, bundle, subjects }) => ({ id, bundle, subjects })),
    addWorkflow: ({ owner, repo, file, name, events, inputs, repositoryDispatchTypes, disabled }) => {
      const repository = ensureRepository(owner, repo);
      const workflow: StoredWorkflow = {
        id: nextWorkflowId++,
        path: `.github/workflows/${file}`,
        name: name ?? file.replace(/\.ya?ml$/, ''),
        state: disabled ? 'disabled_manually' : 'active',
        events: events ?? ['workflow_dispatch'],
        inputs: inputs ?? [],
        ...(repositoryDispatchTypes ? { repositoryDispatchTypes } : {}),
      };
      repository.workflows.push(workflow);
      return workflow.id;
    },
    addRef: (owner, repo, ref) => void ensureRepository(owner, repo).refs.add(ref),
    addWorkflowRun: ({ owner, repo, file, event, createdAt, actor }) => {
      const repository = ensureRepository(owner, repo);
      const workflow = findWorkflow(repository, file);
      if (!workflow) throw new Error(`GitHub double: add workflow ${file} to ${owner}/${repo} before its runs`);
      return { ...storeRun(repository, workflow, { event, ref: 'main', actor: actor ?? 'octocat', ...(createdAt ? { createdAt } : {}) }) };
    },
    workflowRuns: (owner, repo) =>
      (repositories.get(repositoryKey(owner, repo))?.runs ?? []).map((r) => ({ ...r })).sort((a, b) => a.id - b.id),
    issues: (owner, repo) =>
      [...(repositories.get(repositoryKey(owner, repo))?.issues.values() ?? [])]
        .filter((i) => !i.isPullRequest)
        .sort((a, b) => a.number - b.number)
        .map((i) => ({ ...i, state: i.state ?? 'open', labels: [...(i.labels ?? [])] })),
    labels: (owner, repo) => [...(repositories.get(repositoryKey(owner, repo))?.labels.values() ?? [])].map((l) => ({ ...l })),
    failNext: (method, pathPattern, status, times = 1) => {
      faults.push({ method: method.toUpperCase(), pattern: pathPattern, status, remaining: times });
    },
    delayNext: (method, pathPattern, delayMs, times = 1) => {
      faults.push({ method: method.toUpperCase(), pattern: pathPattern, status: 0, remaining: times, delayMs });
    },
    malformNext: (method, pathPattern, status, body, times = 1) => {
      faults.push({ method: method.toUpperCase(), pattern: pathPattern, status, remaining: times, malformed: { body } });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** GitHub's 422 "Validation Failed" naming the resource and field, as it answers a blank title or a too-long body. */
function rejected(operation: Operation, resource: string, field: string, message: string): Reply {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code: 'custom', field, message }],
      documentation_url: operation.documentationUrl,
      status: '422',
    },
  };
}

/** An error with GitHub's own message (a dispatch on an unknown ref: `No ref found for: nope`). */
function githubMessage(operation: Operation, status: number, message: string): Reply {
  return { status, body: { message, documentation_url: operation.documentationUrl, status: String(status) } };
}

/** GitHub's JSON error body for a status, pointing at the operation's documentation. */
function errorReply(status: number, operation: Operation): Reply {
  return {
    status,
    body: { message: STATUS_TEXT[status] ?? `HTTP ${status}`, documentation_url: operation.documentationUrl, status: String(status) },
  };
}

function validationFailed(kind: Violation['kind'], operation: Operation, message: string): Refusal {
  return new Refusal(kind, 422, message, {
    message: `Invalid request.\n\n${message}`,
    documentation_url: operation.documentationUrl,
    status: '422',
  });
}

/**
 * The Link header as GitHub writes it: prev, next, last, first, each keeping the request's query
 * parameters with `page` moved to the end; none when everything fits on one page.
 */
export function linkHeader(path: string, search: URLSearchParams, page: number, lastPage: number, base = ''): string | undefined {
  if (lastPage <= 1 && page <= 1) return undefined;
  const target = (n: number) => {
    const params = new URLSearchParams(search);
    params.delete('page');
    params.append('page', String(n));
    return `<${base}${path}?${params.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${target(page - 1)}; rel="prev"`);
  if (page < lastPage) parts.push(`${target(page + 1)}; rel="next"`, `${target(lastPage)}; rel="last"`);
  if (page > 1) parts.push(`${target(1)}; rel="first"`);
  return parts.join(', ');
}

/** Turns a query or path string into the type its schema declares, so ajv can check it. */
function coerce(raw: string, schema: Record<string, unknown>): unknown {
  switch (schema.type) {
    case 'integer':
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'number':
      return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'array':
      return raw.split(',').map((item) => coerce(item, (schema.items as Record<string, unknown>) ?? {}));
    default:
      return raw;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomUUID().toUpperCase().slice(0, 23),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-resource': 'core',
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
}
