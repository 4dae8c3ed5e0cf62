// GitHub's artifact attestations: a signed Sigstore bundle stored with the repository, so
// `gh attestation verify` and the repository's Attestations page find it by the subject's digest.
import { ServiceError } from '../errors.js';
import type { GitHubClient } from './client.js';

export interface StoredAttestation {
  /** GitHub's id of the attestation (absent when GitHub answered without one). */
  id?: number;
  /** Its page: `<server>/<owner>/<repo>/attestations/<id>`, as actions/attest links it. */
  url?: string;
}

/**
 * Stores `bundle` with `POST /repos/{owner}/{repo}/attestations`. ServiceError when GitHub refuses,
 * naming the permission it needs.
 */
export async function storeAttestation(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  bundle: Record<string, unknown>,
  serverUrl = 'https://github.com',
): Promise<StoredAttestation> {
  let data: unknown;
  try {
    ({ data } = await client.request('POST /repos/{owner}/{repo}/attestations', {
      owner: repository.owner,
      repo: repository.repo,
      bundle,
    }));
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const hint = status === 403 || status === 404 ? ' (the token needs `attestations: write`: `permissions: { attestations: write }`)' : '';
    throw new ServiceError(
      'GitHub',
      `storing the attestation in ${repository.owner}/${repository.repo} failed${typeof status === 'number' ? ` with ${status}` : ''}: ${(error as Error).message.replace(/^GitHub: /, '')}${hint}`,
      { cause: error },
    );
  }
  const id = (typeof data === 'string' ? (JSON.parse(data) as { id?: unknown }) : (data as { id?: unknown } | undefined))?.id;
  if (typeof id !== 'number') return {};
  return { id, url: `${serverUrl.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}/attestations/${id}` };
}
