import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { loadGitHubOpenApi } from '../../github-double/openapi.js';

// The double is checked with plain fetch, independently of Octokit, and its answers are checked
// against GitHub's published OpenAPI description a second time here.

const TOKEN = 'ghs_doubleTestToken';
const HEADERS = { accept: 'application/vnd.github+json', 'user-agent': 'mlops-actions-test', authorization: `Bearer ${TOKEN}` };
const api = loadGitHubOpenApi();

let double: GitHubDouble;

beforeEach(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addPullRequest({ owner: 'acme', repo: 'models', number: 7, title: 'Retrain on May data' });
});

afterEach(async () => {
  await double.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = HEADERS) {
  const response = await fetch(double.url + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as any) : undefined };
}

function schemaErrors(name: string, value: unknown, array = false): string[] {
  const ref = { $ref: `#/components/schemas/${name}` };
  return api.check(array ? { type: 'array', items: ref } : ref, value);
}

describe('GitHub double: answers like GitHub', () => {
  it('serves a pull request and the comment lifecycle, every response valid against the OpenAPI schemas', async () => {
    expect(double.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const pr = await call('GET', '/repos/acme/models/pulls/7');
    expect(pr.status).toBe(200);
    expect(pr.json.number).toBe(7);
    expect(pr.json.title).toBe('Retrain on May data');
    expect(pr.json.base.repo.full_name).toBe('acme/models');
    expect(schemaErrors('pull-request', pr.json)).toEqual([]);

    const created = await call('POST', '/repos/acme/models/issues/7/comments', { body: 'first' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ body: 'first', user: { login: 'github-actions[bot]', type: 'Bot' } });
    expect(created.json.id).toBeGreaterThan(2 ** 31);
    expect(created.json.html_url).toBe(`https://github.com/acme/models/pull/7#issuecomment-${created.json.id}`);
    expect(created.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(created.headers.get('location')).toBe(created.json.url);
    expect(schemaErrors('issue-comment', created.json)).toEqual([]);

    const path = `/repos/acme/models/issues/comments/${created.json.id}`;
    const fetched = await call('GET', path);
    expect(fetched.json.body).toBe('first');
    expect(schemaErrors('issue-comment', fetched.json)).toEqual([]);

    const updated = await call('PATCH', path, { body: 'second' });
    expect(updated.status).toBe(200);
    expect(updated.json.body).toBe('second');
    expect(schemaErrors('issue-comment', updated.json)).toEqual([]);

    const listed = await call('GET', '/repos/acme/models/issues/7/comments');
    expect(listed.json.map((c: any) => c.body)).toEqual(['second']);
    expect(schemaErrors('issue-comment', listed.json, true)).toEqual([]);

    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(404);
    expect(double.comments('acme', 'models', 7)).toEqual([]);
    expect(double.requests.map((r) => r.operationId)).toEqual([
      'pulls/get',
      'issues/create-comment',
      'issues/get-comment',
      'issues/update-comment',
      'issues/list-comments',
      'issues/delete-comment',
      'issues/get-comment',
    ]);
    expect(double.violations).toEqual([]);
  });

  it('pages comments with per_page (default 30, at most 100) and a Link header written like GitHub', async () => {
    for (let i = 1; i <= 250; i++) double.addComment({ owner: 'acme', repo: 'models', issueNumber: 7, body: `comment ${i}` });
    const first = await call('GET', '/repos/acme/models/issues/7/comments?per_page=100');
    const repoPath = /<http:\/\/127\.0\.0\.1:\d+\/repositories\/(\d+)\//.exec(first.headers.get('link') ?? '');
    expect(repoPath).not.toBeNull();
    const base = `${double.url}/repositories/${repoPath![1]}/issues/7/comments`;
    expect(first.json).toHaveLength(100);
    expect(first.headers.get('link')).toBe(`<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`);

    // Following the Link URL, as Octokit does, reaches the same comments.
    const second = await call('GET', `/repositories/${repoPath![1]}/issues/7/comments?per_page=100&page=2`);
    expect(second.json[0].body).toBe('comment 101');
    expect(second.headers.get('link')).toBe(
      `<${base}?per_page=100&page=1>; rel="prev", <${base}?per_page=100&page=3>; rel="next", ` +
        `<${base}?per_page=100&page=3>; rel="last", <${base}?per_page=100&page=1>; rel="first"`,
    );
    const third = await call('GET', '/repos/acme/models/issues/7/comments?per_page=100&page=3');
    expect(third.json.map((c: any) => c.body).at(-1)).toBe('comment 250');
    expect(third.json).toHaveLength(50);
    expect(third.headers.get('link')).toBe(`<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`);

    const byDefault = await call('GET', '/repos/acme/models/issues/7/comments');
    expect(byDefault.json).toHaveLength(30);
    expect(byDefault.headers.get('link')).toContain(`<${base}?page=9>; rel="last"`);
    expect((await call('GET', '/repos/acme/models/issues/7/comments?per_page=500')).json).toHaveLength(100);
    expect(double.violations).toEqual([]);
  });

  it('refuses comment bodies over 65,536 characters with 422, as GitHub does', async () => {
    const atLimit = await call('POST', '/repos/acme/models/issues/7/comments', { body: 'x'.repeat(65_536) });
    expect(atLimit.status).toBe(201);
    const over = await call('POST', '/repos/acme/models/issues/7/comments', { body: 'x'.repeat(65_537) });
    expect(over.status).toBe(422);
    expect(over.json.errors[0].message).toBe('Body is too long (maximum is 65536 characters)');
    expect(double.violations.map((v) => v.kind)).toEqual(['rejected']);
    expect(double.comments('acme', 'models', 7)).toHaveLength(1);
  });

  it('injects faults with GitHub error bodies, for the requested number of calls', async () => {
    double.failNext('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 403);
    double.failNext('GET', /\/pulls\/7$/, 502, 2);
    const forbidden = await call('POST', '/repos/acme/models/issues/7/comments', { body: 'hi' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '403',
    });
    expect((await call('POST', '/repos/acme/models/issues/7/comments', { body: 'hi' })).status).toBe(201);
    expect((await call('GET', '/repos/acme/models/pulls/7')).status).toBe(502);
    expect((await call('GET', '/repos/acme/models/pulls/7')).status).toBe(502);
    expect((await call('GET', '/repos/acme/models/pulls/7')).status).toBe(200);
    expect(double.violations).toEqual([]);
  });
});

describe('GitHub double: checks every request against the OpenAPI description', () => {
  it.each([
    [
      'a body without `body`',
      'POST',
      '/repos/acme/models/issues/7/comments',
      { text: 'hi' },
      422,
      'body',
      "must have required property 'body'",
    ],
    ['a body of the wrong type', 'PATCH', '/repos/acme/models/issues/comments/1', { body: 42 }, 422, 'body', 'must be string'],
    [
      'a query parameter the operation does not declare',
      'GET',
      '/repos/acme/models/issues/7/comments?per_pag=100',
      undefined,
      422,
      'query',
      'per_pag is not declared',
    ],
    [
      'a query parameter of the wrong type',
      'GET',
      '/repos/acme/models/issues/7/comments?page=two',
      undefined,
      422,
      'query',
      'must be integer',
    ],
    ['a path parameter of the wrong type', 'GET', '/repos/acme/models/pulls/seven', undefined, 404, 'path-parameter', 'pull_number'],
    ['a path no operation has', 'GET', '/repos/acme/models/pull/7', undefined, 404, 'route', 'no operation'],
    [
      'a method the path does not have',
      'PUT',
      '/repos/acme/models/issues/comments/1',
      { body: 'x' },
      404,
      'route',
      'only GET, DELETE, PATCH',
    ],
    [
      'a body on an operation that takes none',
      'DELETE',
      '/repos/acme/models/issues/comments/1',
      { body: 'x' },
      422,
      'body',
      'takes no request body',
    ],
  ])('rejects %s and records it', async (_name, method, path, body, status, kind, message) => {
    const response = await call(method, path, body);
    expect(response.status).toBe(status);
    expect(double.violations).toHaveLength(1);
    expect(double.violations[0]).toMatchObject({ kind, method });
    expect(double.violations[0]!.message).toContain(message);
    expect(double.comments('acme', 'models', 7)).toEqual([]);
  });

  it('rejects a missing or wrong token, and requests without Accept or User-Agent', async () => {
    expect((await call('GET', '/repos/acme/models/pulls/7', undefined, { ...HEADERS, authorization: 'token wrong' })).status).toBe(401);
    const { authorization: _a, ...anonymous } = HEADERS;
    expect((await call('GET', '/repos/acme/models/pulls/7', undefined, anonymous)).status).toBe(401);
    expect((await call('GET', '/repos/acme/models/pulls/7', undefined, { ...HEADERS, authorization: `token ${TOKEN}` })).status).toBe(200);
    // fetch always adds a User-Agent; node:http sends only what it is given.
    const { 'user-agent': _u, ...noAgent } = HEADERS;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${double.url}/repos/acme/models/pulls/7`, { headers: noAgent }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
    expect((await call('GET', '/repos/acme/models/pulls/7', undefined, { ...HEADERS, accept: 'text/html' })).status).toBe(415);
    expect(double.violations.map((v) => v.kind)).toEqual(['header', 'header', 'header', 'header']);
  });

  it('answers 404 for unknown repositories and issues without calling it a violation', async () => {
    expect((await call('GET', '/repos/acme/other/pulls/7')).status).toBe(404);
    expect((await call('GET', '/repos/acme/models/issues/8/comments')).status).toBe(404);
    double.addIssue({ owner: 'acme', repo: 'models', number: 9 });
    expect((await call('GET', '/repos/acme/models/pulls/9')).status).toBe(404);
    expect((await call('GET', '/repos/acme/models/issues/9/comments')).status).toBe(200);
    expect(double.violations).toEqual([]);
  });
});
