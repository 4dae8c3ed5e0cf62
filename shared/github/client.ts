import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';

/** The Octokit client every GitHub call in the project goes through (REST methods, pagination, retries). */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** REST API root; defaults to GITHUB_API_URL (set by the runner, GitHub Enterprise included), then api.github.com. */
  baseUrl?: string;
  /** How many times a 5xx or network failure is retried (default 3). */
  retries?: number;
  /** Retry delays grow as (attempt)² × this many milliseconds (default 1000: 1 s, 4 s, 9 s). Tests set 1. */
  retryDelayMs?: number;
}

/**
 * Creates the authenticated client with retries of server errors (4xx are not retried: they will not
 * change). Throws only when `token` is empty.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  return getOctokit(
    options.token,
    {
      baseUrl,
      userAgent: 'mlops-actions',
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryDelayMs ?? 1000 },
    },
    retry,
  );
}
