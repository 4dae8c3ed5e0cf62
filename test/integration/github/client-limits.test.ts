// createGitHubClient against a bare loopback server that answers what GitHub answers when it limits a
// client: 429 with Retry-After, 403 "secondary rate limit", and a request that never gets an answer.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGitHubClient } from '../../../shared/github/client.js';

type Handler = (res: ServerResponse, attempt: number) => void;
let server: Server | undefined;

async function serve(handler: Handler): Promise<{ url: string; attempts: () => number }> {
  let attempts = 0;
  server = createServer((req, res) => {
    req.resume();
    handler(res, ++attempts);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, attempts: () => attempts };
}

const ok = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"number":7}');
const limited = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest' }));

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('createGitHubClient under rate limits and hangs', () => {
  it('waits the Retry-After of a 429 secondary rate limit, then succeeds; says so through warn', async () => {
    const { url, attempts } = await serve((res, n) =>
      n === 1 ? limited(res, 429, 'You have exceeded a secondary rate limit.', { 'retry-after': '2' }) : ok(res),
    );
    const warnings: string[] = [];
    const client = createGitHubClient({ token: 't', baseUrl: url, retryDelayMs: 10, warn: (m) => warnings.push(m) });
    const started = Date.now();
    const { data } = await client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 7 });
    expect(data.number).toBe(7);
    expect(attempts()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20); // 2 s × the 10 ms unit
    expect(warnings).toEqual([
      'GitHub secondary rate limit on GET /repos/{owner}/{repo}/pulls/{pull_number}: retrying in 2 s (attempt 2 of 4).',
    ]);
  });

  it('retries a 403 secondary rate limit, which plugin-retry alone would not', async () => {
    const { url, attempts } = await serve((res, n) =>
      n <= 2 ? limited(res, 403, 'You have exceeded a secondary rate limit. Please wait a few minutes.') : ok(res),
    );
    const client = createGitHubClient({ token: 't', baseUrl: url, retryDelayMs: 1 });
    await expect(client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 7 })).resolves.toMatchObject({ status: 200 });
    expect(attempts()).toBe(3);
  });

  it('gives up on a rate limit after `retries` retries with the 429', async () => {
    const { url, attempts } = await serve((res) =>
      limited(res, 429, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
      }),
    );
    const client = createGitHubClient({ token: 't', baseUrl: url, retries: 2, retryDelayMs: 1 });
    await expect(client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 7 })).rejects.toMatchObject({ status: 429 });
    expect(attempts()).toBe(3); // the throttling plugin alone retries a 429; plugin-retry leaves it to it
  });

  it('times out each attempt of a server that never answers, retries, then fails', async () => {
    const { url, attempts } = await serve(() => {
      /* never answers */
    });
    const client = createGitHubClient({ token: 't', baseUrl: url, retries: 2, retryDelayMs: 1, timeoutMs: 200 });
    const started = Date.now();
    // Was a RequestError with status 500 naming no endpoint: now a ServiceError naming it (issue 9, item 9).
    await expect(client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 7 })).rejects.toThrow(
      'GitHub: GET /repos/{owner}/{repo}/pulls/{pull_number} did not answer within 200 ms, retries included',
    );
    expect(attempts()).toBe(3);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);

  it('does not retry a 404', async () => {
    const { url, attempts } = await serve((res) => limited(res, 404, 'Not Found'));
    const client = createGitHubClient({ token: 't', baseUrl: url, retryDelayMs: 1 });
    await expect(client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 7 })).rejects.toMatchObject({ status: 404 });
    expect(attempts()).toBe(1);
  });
});
