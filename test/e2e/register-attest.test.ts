// register's `attest` input, the bundle run as the runner runs it: a job with `id-token: write` (the
// runner's token service and an OIDC issuer on 127.0.0.1), a loopback Sigstore (@sigstore/mock's
// Fulcio, Rekor and TSA, reached through MLOPS_TEST_SIGSTORE) and the GitHub double. The Sigstore bundle
// is verified (DSSE signature, in-toto subject = the registered manifest digest, SLSA predicate from
// the job), stored with GitHub, and found beside the model as a referrer in a layout and in
// docker-registry 2.8 (tag-schema fallback); without the job's token nothing is registered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main.js';
import { DistributionRepository } from '../../shared/registry/distribution-client.js';
import { ImageLayoutRepository } from '../../shared/registry/image-layout.js';
import { readReferrerLayer, referrersOfKind } from '../../shared/registry/lineage.js';
import type { OciRepository } from '../../shared/registry/oci-repository.js';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../services/docker-registry.js';
import { verifiedStatement } from '../services/sigstore-bundle.js';
import { jobClaims, startSigstoreDouble, type SigstoreDouble } from '../services/sigstore-double.js';
import { runAction, type ActionRun } from './runner.js';

const TOKEN = 'ghs_registerAttestTest';
// What runner.ts gives every step: the claims of the job's token match them.
const SHA = 'ffac537e6cbbf934b08745a378932722df287a53';
const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
let workspace: string;
let sigstore: SigstoreDouble;
let github: GitHubDouble;
let registry: TestRegistry | undefined;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'register-attest-'));
  mkdirSync(join(workspace, 'model'));
  writeFileSync(join(workspace, 'model', 'model.onnx'), randomBytes(4096));
  writeFileSync(join(workspace, 'metrics.json'), JSON.stringify({ accuracy: 0.93 }));
  sigstore = await startSigstoreDouble(jobClaims('octo-org/ml-repo', SHA, '4242'));
  github = await startGitHubDouble({ token: TOKEN });
  github.addRepository('octo-org', 'ml-repo');
  registry = await startDockerRegistry('anonymous');
});

afterAll(async () => {
  await registry?.stop();
  await sigstore?.stop();
  await github?.close();
  rmSync(workspace, { recursive: true, force: true });
});

function register(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('register', {
    workspace,
    inputs: { name: 'penguins', 'model-path': 'model', 'github-token': TOKEN, ...inputs },
    env: {
      SOURCE_DATE_EPOCH: '1767225600',
      GITHUB_API_URL: github.url,
      MLOPS_TEST_SIGSTORE: sigstore.endpointsJson,
      ...sigstore.tokenEnv,
      ...env,
    },
  });
}

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

/** The one provenance referrer of `digest`, its bundle read back and verified, and what the double stored. */
async function checkAttestation(repository: OciRepository, run: ActionRun, subjectName: string): Promise<void> {
  const digest = run.outputs.digest!;
  const [referrer, ...more] = await referrersOfKind(repository, digest, 'provenance');
  expect(more).toEqual([]);
  expect(referrer!.digest).toBe(run.outputs['attestation-referrer']);
  expect(referrer!.artifactType).toBe(BUNDLE_TYPE);
  expect(referrer!.annotations).toMatchObject({
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1',
    'io.github.mlops-actions.attestation-url': run.outputs['attestation-url'],
  });
  const { layer, bytes } = await readReferrerLayer(repository, referrer!);
  expect(layer.mediaType).toBe(BUNDLE_TYPE);
  const bundle = JSON.parse(bytes.toString('utf8'));
  const statement = verifiedStatement(bundle);
  expect(statement.subject).toEqual([{ name: subjectName, digest: { sha256: digest.slice('sha256:'.length) } }]);
  expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
  expect(statement.predicate.buildDefinition.externalParameters.workflow.repository).toBe('https://github.com/octo-org/ml-repo');
  expect(statement.predicate.buildDefinition.resolvedDependencies[0].digest).toEqual({ gitCommit: SHA });
  expect(statement.predicate.runDetails.metadata.invocationId).toBe('https://github.com/octo-org/ml-repo/actions/runs/4242/attempts/1');
  // GitHub holds the same bundle, under the id the step gave.
  const stored = github.attestations('octo-org', 'ml-repo').find((a) => String(a.id) === run.outputs['attestation-id']);
  expect(stored?.bundle).toEqual(bundle);
  expect(run.outputs['attestation-url']).toBe(`https://github.com/octo-org/ml-repo/attestations/${run.outputs['attestation-id']}`);
  expect(github.violations).toEqual([]);
}

async function registryShow(reference: string): Promise<string> {
  let out = '';
  const exitCode = process.exitCode;
  const code = await runCli(
    ['registry', 'show', reference],
    (t) => (out += t),
    (t) => (out += t),
    { env: {}, cwd: workspace },
  );
  process.exitCode = exitCode;
  expect(code).toBe(0);
  return out;
}

describe('register with attest: true', () => {
  it('into a layout: signs the provenance of the manifest digest, stores it with GitHub, and pushes the bundle as a referrer', async () => {
    const run = await register({ attest: 'true', 'metrics-file': 'metrics.json' });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['attestation-id']).toMatch(/^[0-9]+$/);
    expect(run.annotations.map((a) => a.message).join('\n')).toContain('MLOPS_TEST_SIGSTORE is set');
    expect(run.summary).toContain('| provenance | SLSA v1, signed (Sigstore)');
    await checkAttestation(new ImageLayoutRepository(join(workspace, '.mlops', 'registry', 'penguins')), run, '.mlops/registry/penguins');
    // The token service was asked for the two audiences @actions/attest uses, with the runner's request token.
    expect(sigstore.requests.some((r) => r.url.includes('audience=sigstore'))).toBe(true);
    const listing = await registryShow(`.mlops/registry/penguins@${run.outputs.digest}`);
    expect(listing).toMatch(/provenance\s+sha256:/);
    expect(listing).toMatch(/metrics\s+sha256:/);
  });

  it('into docker-registry 2.8: the bundle referrer is listed through the tag-schema fallback; skopeo reads it', async () => {
    if (!registryOrSkip(registry)) return;
    const run = await register({ attest: 'true', registry: `${registry.url}/team` });
    expect(errors(run)).toEqual([]);
    const remote = new DistributionRepository(`${registry.url}/team/penguins`);
    await checkAttestation(remote, run, `${registry.host}/team/penguins`);
    const raw = execFileSync('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${registry.host}/team/penguins@${run.outputs['attestation-referrer']}`,
    ]);
    const manifest = JSON.parse(raw.toString());
    expect(manifest.artifactType).toBe(BUNDLE_TYPE);
    expect(manifest.subject.digest).toBe(run.outputs.digest);
    expect(await registryShow(`${registry.url}/team/penguins@v1`)).toMatch(/provenance\s+sha256:/);
  });

  it('fails closed without id-token: write: an error naming the input, and nothing registered', async () => {
    const before = github.attestations('octo-org', 'ml-repo').length;
    const run = await register(
      { attest: 'true', registry: '.mlops/closed' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
    );
    expect(run.exitCode).toBe(1);
    expect(errors(run).join('\n')).toMatch(/input 'attest' is true, but no provenance can be signed here: .*id-token: write/);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(workspace, '.mlops', 'closed', 'penguins', 'index.json'))).toBe(false);
    expect(github.attestations('octo-org', 'ml-repo').length).toBe(before);
  });

  it('when GitHub refuses to store the attestation, the error names the permission and nothing is registered', async () => {
    github.failNext('POST', '/repos/{owner}/{repo}/attestations', 403);
    const run = await register({ attest: 'true', registry: '.mlops/refused' });
    expect(run.exitCode).toBe(1);
    expect(errors(run).join('\n')).toMatch(/storing the attestation in octo-org\/ml-repo failed with 403.*attestations: write/);
    expect(existsSync(join(workspace, '.mlops', 'refused', 'penguins', 'index.json'))).toBe(false);
  });

  it('attest: false (the default) signs nothing and asks nothing of GitHub', async () => {
    const before = sigstore.requests.length;
    const run = await register({ registry: '.mlops/plain' });
    expect(errors(run)).toEqual([]);
    expect(run.outputs['attestation-id']).toBeUndefined();
    expect(sigstore.requests.length).toBe(before);
    const layout = new ImageLayoutRepository(join(workspace, '.mlops', 'plain', 'penguins'));
    expect(await referrersOfKind(layout, run.outputs.digest!, 'provenance')).toEqual([]);
  });
});
