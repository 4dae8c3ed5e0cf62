import { readFileSync } from 'node:fs';
import type { GitHubAccess, Repository, RunEvent } from './port.js';

/** The repository GITHUB_REPOSITORY names (`owner/name`), or undefined when it is unset or malformed. */
export function repositoryFrom(env: NodeJS.ProcessEnv): Repository | undefined {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}

/**
 * The event GITHUB_EVENT_NAME and GITHUB_EVENT_PATH describe, or undefined when GITHUB_EVENT_PATH is
 * unset. Throws when the payload file cannot be read or is not a JSON object.
 */
export function eventFrom(env: NodeJS.ProcessEnv, fallbackName: string): RunEvent | undefined {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  const payload: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error(`${path} does not hold a JSON object`);
  return { name: env.GITHUB_EVENT_NAME ?? fallbackName, payload: payload as Record<string, unknown> };
}

/**
 * A client for `repository` authenticated with `token`, or what is missing, phrased for the log
 * (`missingToken` names where the token should have come from). Masks the token through `mask`;
 * `apiUrl` is GITHUB_API_URL (api.github.com when unset).
 */
export async function gitHubAccess(
  repository: Repository | undefined,
  token: string | undefined,
  how: { apiUrl?: string; missingToken: string; mask: (secret: string) => void; warn: (message: string) => void },
): Promise<GitHubAccess> {
  if (!repository) return { unavailable: 'GITHUB_REPOSITORY (owner/name) is not set' };
  if (!token) return { unavailable: how.missingToken };
  how.mask(token);
  // Loaded only when a stage talks to GitHub: Octokit is large and most steps never do.
  const { createGitHubClient } = await import('../github/client.js');
  return { repository, client: createGitHubClient({ token, baseUrl: how.apiUrl, warn: how.warn }) };
}
