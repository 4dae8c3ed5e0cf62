// Build provenance as @actions/attest makes it (attest-build-provenance): the SLSA v1 predicate from the
// job's OIDC token (@actions/attest's buildSLSAProvenancePredicate), an in-toto statement of the
// subjects, signed as DSSE with a short-lived Fulcio certificate and witnessed by Rekor or a TSA
// (@sigstore/sign, configured as @actions/attest configures it). @actions/attest's attest() takes no
// endpoints, so tests could not give it a loopback Sigstore; composing its parts keeps one code path.
import { buildSLSAProvenancePredicate } from '@actions/attest';
import { getIDToken } from '@actions/core';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import { ServiceError } from '../errors.js';
import type { ProvenanceSubject, SignedProvenance } from './port.js';

export const INTOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** The media type of a Sigstore bundle v0.3, as cosign, oras and `gh attestation` name it in a registry. */
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/**
 * The variable that points signing at a loopback Sigstore (Fulcio, Rekor, TSA) and OIDC issuer, for
 * tests: JSON `{"fulcio": url, "rekor"?: url, "tsa"?: url, "oidcIssuer"?: url}`. Only loopback URLs are
 * accepted, so it can never send a workflow's token or statement to another host; a run that uses it
 * says so with a warning, and what it signs verifies against no public trust root.
 */
export const TEST_SIGSTORE_VARIABLE = 'MLOPS_TEST_SIGSTORE';

export interface SigstoreEndpoints {
  fulcioURL: string;
  rekorURL?: string;
  tsaServerURL?: string;
  /** The OIDC issuer whose keys verify the job's token; GitHub Actions' own when unset. */
  oidcIssuer?: string;
}

/**
 * The Sigstore instance @actions/attest picks (its endpoints.ts): the public-good instance for a public
 * repository, GitHub's own (Fulcio and a timestamp authority, no public log) for any other.
 */
export function sigstoreEndpoints(visibility: unknown, serverUrl = 'https://github.com'): SigstoreEndpoints {
  if (visibility === 'public') return { fulcioURL: 'https://fulcio.sigstore.dev', rekorURL: 'https://rekor.sigstore.dev' };
  let host = new URL(serverUrl).hostname;
  if (host === 'github.com') host = 'githubapp.com';
  return { fulcioURL: `https://fulcio.${host}`, tsaServerURL: `https://timestamp.${host}` };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The loopback endpoints MLOPS_TEST_SIGSTORE names, undefined when it is unset; throws when it names anything else. */
export function testSigstoreEndpoints(value: string | undefined): SigstoreEndpoints | undefined {
  if (!value) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new ServiceError('Sigstore', `${TEST_SIGSTORE_VARIABLE} is not JSON; it is for tests only: unset it`);
  }
  const url = (key: string, required: boolean): string | undefined => {
    const text = parsed[key];
    if (text === undefined && !required) return undefined;
    const address = typeof text === 'string' && URL.canParse(text) ? new URL(text) : undefined;
    if (!address || !/^https?:$/.test(address.protocol) || !LOOPBACK_HOSTS.has(address.hostname))
      throw new ServiceError(
        'Sigstore',
        `${TEST_SIGSTORE_VARIABLE}.${key} must be an http(s) URL on 127.0.0.1, localhost or [::1] (got ${JSON.stringify(text)}); it is for tests only: unset it`,
      );
    return text as string;
  };
  const endpoints: SigstoreEndpoints = { fulcioURL: url('fulcio', true)! };
  const rekor = url('rekor', false);
  const tsa = url('tsa', false);
  const issuer = url('oidcIssuer', false);
  if (rekor) endpoints.rekorURL = rekor;
  if (tsa) endpoints.tsaServerURL = tsa;
  if (issuer) endpoints.oidcIssuer = issuer.replace(/\/+$/, '');
  return endpoints;
}

/** What @actions/attest gives each Sigstore request: 10 s and 3 retries (its sign.ts). */
const REQUEST_TIMEOUT_MS = 10_000;
const REQUEST_RETRIES = 3;
/** The whole signing, the token requests included (whose client has no timeout of its own). */
const SIGNING_DEADLINE_MS = 120_000;

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceError('Sigstore', `${what} took over ${ms / 1000} s; gave up`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Signs a build-provenance statement of `subjects` inside a GitHub Actions job whose token request
 * variables (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN, there with `id-token: write`) are set. Returns the
 * Sigstore bundle as JSON. ServiceError naming the step that failed (token, Fulcio, Rekor, TSA).
 */
export async function signProvenance(subjects: ProvenanceSubject[], endpoints: SigstoreEndpoints): Promise<SignedProvenance> {
  const work = async (): Promise<SignedProvenance> => {
    let predicate: Awaited<ReturnType<typeof buildSLSAProvenancePredicate>>;
    try {
      predicate = await buildSLSAProvenancePredicate(endpoints.oidcIssuer);
    } catch (error) {
      throw new ServiceError('GitHub Actions OIDC', `reading the job's identity token for the provenance: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const statement = { _type: INTOTO_STATEMENT_V1, subject: subjects, predicateType: predicate.type, predicate: predicate.params };
    const witnesses: Witness[] = [];
    const timing = { timeout: REQUEST_TIMEOUT_MS, retry: REQUEST_RETRIES };
    if (endpoints.rekorURL) witnesses.push(new RekorWitness({ rekorBaseURL: endpoints.rekorURL, fetchOnConflict: true, ...timing }));
    if (endpoints.tsaServerURL) witnesses.push(new TSAWitness({ tsaBaseURL: endpoints.tsaServerURL, ...timing }));
    // Fulcio's audience is `sigstore`; the token comes from the runner as @actions/core asks for it.
    const signer = new FulcioSigner({
      identityProvider: { getToken: () => getIDToken('sigstore') },
      fulcioBaseURL: endpoints.fulcioURL,
      ...timing,
    });
    let bundle;
    try {
      bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({
        data: Buffer.from(JSON.stringify(statement)),
        type: INTOTO_PAYLOAD_TYPE,
      });
    } catch (error) {
      const where = [endpoints.fulcioURL, endpoints.rekorURL, endpoints.tsaServerURL].filter(Boolean).join(', ');
      throw new ServiceError('Sigstore', `signing the provenance (${where}) failed: ${(error as Error).message}`, { cause: error });
    }
    const json = bundleToJSON(bundle) as unknown as Record<string, unknown>;
    const mediaType = typeof json.mediaType === 'string' ? json.mediaType : SIGSTORE_BUNDLE_MEDIA_TYPE;
    return { bundle: json, mediaType, predicateType: predicate.type };
  };
  return withDeadline(work(), SIGNING_DEADLINE_MS, 'signing the provenance');
}
