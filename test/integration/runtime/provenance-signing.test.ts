// Build provenance signed as @actions/attest signs it, against a loopback Sigstore (@sigstore/mock's
// Fulcio, Rekor and TSA) and a loopback runner token service and OIDC issuer, then stored with the
// GitHub double (checked against GitHub's OpenAPI description). The bundle is verified: its DSSE
// signature with the certificate Fulcio issued for the job's identity, its statement's subject and
// the SLSA predicate read from the job's token.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ServiceError } from '../../../shared/errors.js';
import { storeAttestation } from '../../../shared/github/attestations.js';
import { createGitHubClient } from '../../../shared/github/client.js';
import { signProvenance, sigstoreEndpoints, testSigstoreEndpoints } from '../../../shared/runtime/provenance-signing.js';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { signingCertificate, verifiedStatement } from '../../services/sigstore-bundle.js';
import { jobClaims, startSigstoreDouble, type SigstoreDouble } from '../../services/sigstore-double.js';

const SHA = 'ffac537e6cbbf934b08745a378932722df287a53';
const DIGEST = 'a'.repeat(64);
const TOKEN = 'ghs_attestationsTest';
let sigstore: SigstoreDouble;
let github: GitHubDouble;
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(name in saved)) saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

beforeAll(async () => {
  sigstore = await startSigstoreDouble(jobClaims('octo-org/ml-repo', SHA, '4242'));
  github = await startGitHubDouble({ token: TOKEN });
  github.addRepository('octo-org', 'ml-repo');
  setEnv({ ...sigstore.tokenEnv, GITHUB_SERVER_URL: 'https://github.com', SIGSTORE_ID_TOKEN: undefined });
});

afterAll(async () => {
  setEnv(saved);
  await sigstore?.stop();
  await github?.close();
});

describe('signing build provenance', () => {
  it('signs an in-toto statement of the subject with the SLSA predicate from the job token, witnessed by Rekor and a TSA', async () => {
    const subject = { name: '127.0.0.1:5000/team/penguins', digest: { sha256: DIGEST } };
    const signed = await signProvenance([subject], testSigstoreEndpoints(sigstore.endpointsJson)!);
    expect(signed.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(signed.bundle.mediaType).toBe(signed.mediaType);
    const statement = verifiedStatement(signed.bundle);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject).toEqual([subject]);
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    const { buildDefinition, runDetails } = statement.predicate;
    expect(buildDefinition.buildType).toBe('https://actions.github.io/buildtypes/workflow/v1');
    expect(buildDefinition.externalParameters.workflow).toEqual({
      ref: 'refs/heads/main',
      repository: 'https://github.com/octo-org/ml-repo',
      path: '.github/workflows/train.yml',
    });
    expect(buildDefinition.resolvedDependencies[0]).toEqual({
      uri: 'git+https://github.com/octo-org/ml-repo@refs/heads/main',
      digest: { gitCommit: SHA },
    });
    expect(runDetails.metadata.invocationId).toBe('https://github.com/octo-org/ml-repo/actions/runs/4242/attempts/1');
    // Fulcio certified the job's identity (the token's subject), and the log and the TSA witnessed the signature.
    expect(signingCertificate(signed.bundle).subjectAltName).toContain('repo:octo-org/ml-repo:ref:refs/heads/main');
    const material = signed.bundle.verificationMaterial as {
      tlogEntries: unknown[];
      timestampVerificationData: { rfc3161Timestamps: unknown[] };
    };
    expect(material.tlogEntries).toHaveLength(1);
    expect(material.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    // Two tokens: audience `nobody` for the predicate's claims, `sigstore` for Fulcio.
    const audiences = sigstore.requests
      .filter((r) => r.url.startsWith('/token'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('audience'));
    expect(audiences.sort()).toEqual(['nobody', 'sigstore']);
  });

  it('a tampered statement no longer verifies (the check above can fail)', async () => {
    const signed = await signProvenance([{ name: 'x/y', digest: { sha256: DIGEST } }], testSigstoreEndpoints(sigstore.endpointsJson)!);
    const envelope = signed.bundle.dsseEnvelope as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    statement.subject[0].digest.sha256 = 'b'.repeat(64);
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    expect(() => verifiedStatement(signed.bundle)).toThrow(/does not verify/);
  });

  it('stores the bundle with GitHub, which records the attestation of the subject', async () => {
    const signed = await signProvenance(
      [{ name: 'team/penguins', digest: { sha256: DIGEST } }],
      testSigstoreEndpoints(sigstore.endpointsJson)!,
    );
    const client = createGitHubClient({ token: TOKEN, baseUrl: github.url, retryDelayMs: 1 });
    const stored = await storeAttestation(client, { owner: 'octo-org', repo: 'ml-repo' }, signed.bundle);
    expect(stored.id).toEqual(expect.any(Number));
    expect(stored.url).toBe(`https://github.com/octo-org/ml-repo/attestations/${stored.id}`);
    expect(github.violations).toEqual([]);
    const [kept] = github.attestations('octo-org', 'ml-repo').filter((a) => a.id === stored.id);
    expect(kept!.subjects).toEqual([{ name: 'team/penguins', digest: { sha256: DIGEST } }]);
    expect(github.requests.some((r) => r.operationId === 'repos/create-attestation' && r.status === 201)).toBe(true);
  });

  it('GitHub refuses a bundle without an in-toto statement (422), as it indexes attestations by subject', async () => {
    const client = createGitHubClient({ token: TOKEN, baseUrl: github.url, retryDelayMs: 1 });
    const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: {}, messageSignature: {} };
    const error = await storeAttestation(client, { owner: 'octo-org', repo: 'ml-repo' }, bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toMatch(/failed with 422/);
  });

  it('a refused store names the permission it needs', async () => {
    const signed = await signProvenance(
      [{ name: 'team/penguins', digest: { sha256: DIGEST } }],
      testSigstoreEndpoints(sigstore.endpointsJson)!,
    );
    github.failNext('POST', '/repos/{owner}/{repo}/attestations', 403);
    const client = createGitHubClient({ token: TOKEN, baseUrl: github.url, retryDelayMs: 1 });
    const error = await storeAttestation(client, { owner: 'octo-org', repo: 'ml-repo' }, signed.bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toMatch(/storing the attestation in octo-org\/ml-repo failed with 403.*attestations: write/);
  });

  it('a wrong runner request token is a service error naming the OIDC step; nothing is signed', async () => {
    const before = sigstore.requests.filter((r) => r.url === '/api/v2/signingCert').length;
    setEnv({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-the-token' });
    try {
      const error = await signProvenance(
        [{ name: 'x/y', digest: { sha256: DIGEST } }],
        testSigstoreEndpoints(sigstore.endpointsJson)!,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as Error).message).toMatch(/^GitHub Actions OIDC: reading the job's identity token/);
    } finally {
      setEnv({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: sigstore.tokenEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN });
    }
    expect(sigstore.requests.filter((r) => r.url === '/api/v2/signingCert').length).toBe(before);
  });
});

describe('where signing goes', () => {
  it('picks the Sigstore instance @actions/attest picks: public-good for a public repository, GitHub’s otherwise', () => {
    expect(sigstoreEndpoints('public')).toEqual({ fulcioURL: 'https://fulcio.sigstore.dev', rekorURL: 'https://rekor.sigstore.dev' });
    expect(sigstoreEndpoints('private')).toEqual({
      fulcioURL: 'https://fulcio.githubapp.com',
      tsaServerURL: 'https://timestamp.githubapp.com',
    });
    expect(sigstoreEndpoints(undefined, 'https://acme.ghe.com')).toEqual({
      fulcioURL: 'https://fulcio.acme.ghe.com',
      tsaServerURL: 'https://timestamp.acme.ghe.com',
    });
  });

  it('MLOPS_TEST_SIGSTORE accepts loopback services only', () => {
    expect(testSigstoreEndpoints(undefined)).toBeUndefined();
    expect(testSigstoreEndpoints('{"fulcio":"http://127.0.0.1:1","oidcIssuer":"http://localhost:2/"}')).toEqual({
      fulcioURL: 'http://127.0.0.1:1',
      oidcIssuer: 'http://localhost:2',
    });
    expect(() => testSigstoreEndpoints('{"fulcio":"https://fulcio.sigstore.dev"}')).toThrow(
      /MLOPS_TEST_SIGSTORE\.fulcio must be .* on 127\.0\.0\.1/,
    );
    expect(() => testSigstoreEndpoints('{"fulcio":"http://127.0.0.1:1","rekor":"http://10.0.0.1"}')).toThrow(/MLOPS_TEST_SIGSTORE\.rekor/);
    expect(() => testSigstoreEndpoints('{"fulcio":"http://127.0.0.1.evil.com"}')).toThrow(/for tests only/);
    expect(() => testSigstoreEndpoints('nope')).toThrow(/not JSON/);
  });
});
