/**
 * `GET /repos/{owner}/{repo}/issues/{issue_number}/comments`: the endpoint a request went to, as GitHub documents it.
 * Its own module, without Octokit: the sticky comment names endpoints in errors, and importing the client
 * for that would load Octokit and undici at every stage's start-up.
 */
export function endpointName(options: { method?: string; url?: string }): string {
  return `${(options.method ?? 'GET').toUpperCase()} ${(options.url ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '')}`;
}
