// GitHub Deployments for the deploy stage: one deployment per run (in the named environment) and its
// statuses, so the repository's Environments page shows what serves where, and links back to the run.
import { ServiceError } from '../errors.js';
import type { GitHubClient } from './client.js';

export interface DeploymentRequest {
  owner: string;
  repo: string;
  /** The commit deployed (GITHUB_SHA). */
  ref: string;
  environment: string;
  description: string;
  /** Recorded with the deployment: the model digest and the serving image. */
  payload: { digest: string; image?: string; version?: string; model?: string };
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentStatusRequest {
  state: DeploymentState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

/** The HTTP status of an Octokit RequestError, undefined for network failures and other errors. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

function failure(what: string, error: unknown): ServiceError {
  if (error instanceof ServiceError)
    return new ServiceError('GitHub', `${what}: ${error.message.replace(/^GitHub: /, '')}`, { cause: error });
  const status = httpStatus(error);
  const hint = status === 403 || status === 404 ? ' (the token needs `deployments: write`: `permissions: { deployments: write }`)' : '';
  return new ServiceError(
    'GitHub',
    `${what} failed${status ? ` with ${status}` : ''}: ${error instanceof Error ? error.message : String(error)}${hint}`,
    {
      cause: error,
    },
  );
}

/**
 * Creates a deployment of `ref` in `environment`. `auto_merge: false` (a deploy never merges branches)
 * and `required_contexts: []` (the run's own pending checks must not block it). Returns its id.
 * ServiceError when GitHub refuses, naming the permission it needs.
 */
export async function createDeployment(client: GitHubClient, request: DeploymentRequest): Promise<number> {
  let data: unknown;
  try {
    ({ data } = await client.rest.repos.createDeployment({
      owner: request.owner,
      repo: request.repo,
      ref: request.ref,
      environment: request.environment,
      description: request.description.slice(0, 140),
      auto_merge: false,
      required_contexts: [],
      payload: request.payload,
    }));
  } catch (error) {
    throw failure(`creating a deployment in ${request.environment}`, error);
  }
  const id = (data as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'number')
    throw new ServiceError(
      'GitHub',
      `POST /repos/{owner}/{repo}/deployments answered without a deployment id (${JSON.stringify(data)?.slice(0, 200) ?? 'nothing'})`,
    );
  return id;
}

/** Adds a status to deployment `id`. ServiceError when GitHub refuses. */
export async function setDeploymentStatus(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  id: number,
  status: DeploymentStatusRequest,
): Promise<void> {
  try {
    await client.rest.repos.createDeploymentStatus({
      owner: repository.owner,
      repo: repository.repo,
      deployment_id: id,
      state: status.state,
      ...(status.description ? { description: status.description.slice(0, 140) } : {}),
      ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
      ...(status.logUrl ? { log_url: status.logUrl } : {}),
      // Earlier successful deployments of this environment become inactive when this one succeeds.
      ...(status.state === 'success' ? { auto_inactive: true } : {}),
    });
  } catch (error) {
    throw failure(`setting deployment ${id} to ${status.state}`, error);
  }
}
