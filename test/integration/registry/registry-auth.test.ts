// The client's auth against docker-registry 2.8: htpasswd Basic auth and the Bearer token flow.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { DistributionRepository } from '../../../shared/registry/distribution-client.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../../services/docker-registry.js';
import { model, pushBlobs, readAll, recordFetches, referrer } from './model-content.js';

const run = promisify(execFile);

async function expectInputError(promise: Promise<unknown>, ...parts: string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  for (const part of parts) expect((error as Error).message).toContain(part);
}

/** Push a model with a referrer and read it back: every kind of request the register stage sends. */
async function roundTrip(repo: DistributionRepository, seed: string): Promise<void> {
  const { blobs, manifest } = model(seed);
  expect(await pushBlobs(repo, blobs)).toEqual([true, true, true]);
  await repo.putManifest(manifest, 'v1');
  const lineage = referrer(manifest, 'application/vnd.mlops.evaluation.v1+json', { seed });
  await pushBlobs(repo, lineage.blobs);
  await repo.putManifest(lineage.manifest);
  await repo.addReferrer({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length }, lineage.descriptor);
  expect(await repo.listTags()).toEqual([`sha256-${manifest.digest.slice(7)}`, 'v1']);
  expect((await repo.getManifest('v1'))?.digest).toBe(manifest.digest);
  expect((await readAll(await repo.getBlob(blobs[1].digest, blobs[1].size))).equals(blobs[1].bytes)).toBe(true);
  expect(await repo.referrers(manifest.digest)).toEqual([lineage.descriptor]);
}

describe.each(['htpasswd', 'token'] as const)('a registry with %s auth', (mode) => {
  let registry: TestRegistry | undefined;

  beforeAll(async () => {
    registry = await startDockerRegistry(mode);
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('pushes, tags, lists and pulls with the right credentials', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = new DistributionRepository(`${registry.url}/team/iris`, registry.credentials);
    await roundTrip(repo, `auth-${mode}`);
  });

  it('sends credentials up front once it knows the challenge, and caches tokens per scope', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = new DistributionRepository(`${registry.url}/team/cached`, registry.credentials);
    const tokensBefore = registry.tokenServer?.requests.length ?? 0;
    const recorder = recordFetches();
    try {
      await roundTrip(repo, `cached-${mode}`);
    } finally {
      recorder.restore();
    }
    const toRegistry = recorder.requests.filter((r) => r.url.host === registry!.host);
    const unauthorised = toRegistry.filter((r) => !r.headers.get('authorization'));
    if (mode === 'htpasswd') {
      // Only the first request goes without credentials; Basic is sent up front after its challenge.
      expect(unauthorised).toHaveLength(1);
      expect(toRegistry.every((r, i) => i === 0 || r.headers.get('authorization')?.startsWith('Basic '))).toBe(true);
    } else {
      // One token per scope (pull, then pull+push): each fetched once, after one challenge each.
      const tokens = registry.tokenServer!.requests.slice(tokensBefore);
      expect(tokens.map((t) => [t.status, t.user, t.service, t.scopes.join(' ')])).toEqual([
        [200, 'mlops', 'mlops-test-registry', 'repository:team/cached:pull'],
        [200, 'mlops', 'mlops-test-registry', 'repository:team/cached:pull,push'],
      ]);
      expect(unauthorised).toHaveLength(2);
      expect(toRegistry.slice(1).filter((r) => r.headers.get('authorization')?.startsWith('Bearer ')).length).toBe(toRegistry.length - 2);
    }
  });

  it('names the registry and the user when the password is wrong', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = new DistributionRepository(`${registry.url}/team/iris`, { username: 'mlops', password: 'wrong' });
    await expectInputError(repo.listTags(), `registry ${registry.host}`, "user 'mlops'", 'check the username and password');
    await expectInputError(
      repo.putBlob(model('x').blobs[0].digest, 1, () => {
        throw new Error('must not read content without access');
      }),
      "user 'mlops'",
    );
  });

  it('says credentials are needed when none are given', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = new DistributionRepository(`${registry.url}/team/iris`);
    await expectInputError(repo.getManifest('v1'), `registry ${registry.host} requires credentials for GET /v2/team/iris/manifests/v1`);
  });

  it('is read by skopeo with the same credentials', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = new DistributionRepository(`${registry.url}/team/skopeo`, registry.credentials);
    const { blobs, manifest } = model(`skopeo-${mode}`);
    await pushBlobs(repo, blobs);
    await repo.putManifest(manifest, 'v1');
    const { username, password } = registry.credentials!;
    const args = ['inspect', '--raw', '--tls-verify=false', `--creds=${username}:${password}`, `docker://${registry.host}/team/skopeo:v1`];
    const { stdout } = await run('skopeo', args, { timeout: 60_000, encoding: 'buffer' });
    expect(Buffer.from(stdout).equals(manifest.bytes)).toBe(true);
  });
});
