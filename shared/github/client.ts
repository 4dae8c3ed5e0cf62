import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { ServiceError } from '../errors.js';
import { endpointName } from './endpoint-name.js';

/** The Octokit client every GitHub call in the project goes through (REST methods, pagination, retries). */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** REST API root; defaults to GITHUB_API_URL (set by the runner, GitHub Enterprise included), then api.github.com. */
  baseUrl?: string;
  /** How many times a 5xx, a network failure or a rate limit (429, or 403 "secondary rate limit") is retried (default 3). */
  retries?: number;
  /**
   * The unit of every wait, in milliseconds (default 1000). Retry delays grow as (attempt)² × it (1 s,
   * 4 s, 9 s); a rate limit waits its Retry-After (or reset) × it; writes are paced 1 × it apart and
   * requests that notify people 3 × it apart, as GitHub asks. Tests set 1.
   */
  retryDelayMs?: number;
  /** How long one attempt may take, in milliseconds (default 30 000); a timed-out attempt is retried like a 5xx. */
  timeoutMs?: number;
  /**
   * How long one request may take in all, its retries and their waits included, in milliseconds
   * (default 120 000); past it the request fails with a ServiceError naming the endpoint.
   */
  totalTimeoutMs?: number;
  /** Where rate-limit retries are reported; silent by default. */
  warn?: (message: string) => void;
}

/**
 * Gives every attempt its own deadline. Registered before the retry plugins, so it runs inside them,
 * once per attempt. It sets the signal on the request options in place: options a `wrap` hook passes
 * on are not what the inner hooks receive (before-after-hook binds them to the original options).
 */
function requestTimeout(timeoutMs: number) {
  return (octokit: { hook: { before: GitHubClient['hook']['before'] } }) => {
    octokit.hook.before('request', (options) => {
      const total = (options.request as { totalSignal?: AbortSignal } | undefined)?.totalSignal;
      const attempt = AbortSignal.timeout(timeoutMs);
      options.request = { ...options.request, signal: total ? AbortSignal.any([attempt, total]) : attempt };
    });
  };
}

/**
 * Bounds a request in total time, retries and their waits included. Registered after the retry
 * plugins, so it wraps them: once per request. The deadline's signal is put on the request options in
 * place, where each attempt's timeout (requestTimeout) joins it.
 */
function totalTimeout(totalMs: number, attemptMs: number) {
  return (octokit: { hook: { wrap: GitHubClient['hook']['wrap'] } }) => {
    octokit.hook.wrap('request', async (request, options) => {
      const controller = new AbortController();
      const endpoint = endpointName(options);
      options.request = { ...options.request, totalSignal: controller.signal } as typeof options.request;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // No attempt after the deadline: plugin-retry reads `retries` from these options at each failure,
          // and without this it goes on retrying (and waiting) in the background after we have given up.
          options.request = { ...options.request, retries: 0 } as typeof options.request;
          controller.abort();
          reject(
            new ServiceError(
              'GitHub',
              `${endpoint} did not complete within ${formatSeconds(totalMs)} (each attempt may take ${formatSeconds(attemptMs)}, retries included)`,
            ),
          );
        }, totalMs);
      });
      try {
        return await Promise.race([request(options), deadline]);
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        if (isAbort(error))
          throw new ServiceError('GitHub', `${endpoint} did not answer within ${formatSeconds(attemptMs)}, retries included`, {
            cause: error,
          });
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  };
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

/** An attempt cut by its timeout: Octokit reports the aborted fetch as a RequestError (status 500) whose message says so. */
function isAbort(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${error.name} ${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`;
  return /abort|timeout/i.test(text);
}

/**
 * Creates the authenticated client. Server errors, network failures and timeouts are retried with a
 * growing delay (@octokit/plugin-retry, which leaves 4xx alone: they will not change); rate limits
 * (429, and the 403 of a secondary rate limit, which plugin-retry does not retry) wait as long as
 * GitHub says (@octokit/plugin-throttling), at most `retries` times. Throws only when `token` is empty.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  const retries = options.retries ?? 3;
  const unit = options.retryDelayMs ?? 1000;
  const warn = options.warn ?? (() => {});
  const onLimit =
    (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const again = retryCount < retries;
      warn(
        `GitHub ${kind} on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter} s (attempt ${retryCount + 2} of ${retries + 1})` : `giving up after ${retryCount + 1} attempts`}.`,
      );
      return again;
    };
  return getOctokit(
    options.token,
    {
      baseUrl,
      userAgent: 'mlops-actions',
      // Rate limits (429) are left to the throttling plugin, which waits as long as GitHub asks.
      retry: { retries, retryAfterBaseValue: unit, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
        retryAfterBaseValue: unit,
        // Per client, so one run's pacing never waits on another's.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: unit }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * unit }),
      },
    },
    requestTimeout(options.timeoutMs ?? 30_000),
    retry,
    throttling,
    totalTimeout(options.totalTimeoutMs ?? 120_000, options.timeoutMs ?? 30_000),
  );
}
