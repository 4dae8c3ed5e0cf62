// The registry client against Debian's docker-registry (distribution 2.8, no referrers API), anonymous.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InputError, ServiceError } from '../../../shared/errors.js';
import { DistributionRepository } from '../../../shared/registry/distribution-client.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../../services/docker-registry.js';
import { blob, model, pushBlobs, readAll, recordFetches, referrer } from './model-content.js';

const run = promisify(execFile);
let registry: TestRegistry | undefined;

beforeAll(async () => {
  registry = await startDockerRegistry('anonymous');
});

afterAll(async () => {
  await registry?.stop();
});

function repository(name: string, options: ConstructorParameters<typeof DistributionRepository>[1] = {}): DistributionRepository {
  return new DistributionRepository(`${registry!.url}/${name}`, options);
}

describe('DistributionRepository on docker-registry 2.8', () => {
  it('pushes blobs and a tagged manifest and reads back the exact bytes', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = repository('team/iris');
    expect(repo.label).toBe(`${registry.url}/team/iris`);
    const { blobs, manifest } = model('iris');
    expect(await repo.getManifest('v1')).toBeNull();
    expect(await pushBlobs(repo, blobs)).toEqual([true, true, true]);
    await repo.putManifest(manifest, 'v1');
    for (const reference of ['v1', manifest.digest]) {
      const read = await repo.getManifest(reference);
      expect(read).toEqual({ mediaType: manifest.mediaType, digest: manifest.digest, bytes: manifest.bytes });
    }
    for (const b of blobs) {
      expect(await repo.hasBlob(b.digest)).toBe(true);
      expect((await readAll(await repo.getBlob(b.digest, b.size))).equals(b.bytes)).toBe(true);
    }
    expect(await repo.hasBlob(blob(Buffer.from('never pushed')).digest)).toBe(false);
  });

  it('uploads no blob when an unchanged model is pushed again', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = repository('team/again');
    const { blobs, manifest } = model('again');
    await pushBlobs(repo, blobs);
    await repo.putManifest(manifest, 'v1');
    const recorder = recordFetches();
    try {
      expect(await pushBlobs(repository('team/again'), blobs)).toEqual([false, false, false]);
      await repository('team/again').putManifest(manifest, 'v1');
    } finally {
      recorder.restore();
    }
    const methods = recorder.requests.map((r) => `${r.method} ${r.url.pathname.split('/').slice(4, 5)}`);
    expect(methods.filter((m) => m.startsWith('HEAD blobs'))).toHaveLength(3);
    expect(
      recorder.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH' || r.url.pathname.includes('/blobs/uploads/')),
    ).toEqual([]);
  });

  it('uploads a blob larger than the chunk size in PATCH chunks with Content-Range', async () => {
    if (!registryOrSkip(registry)) return;
    const chunkSize = 1024 * 1024;
    const big = blob(Buffer.from(Array.from({ length: 5 * chunkSize + 12345 }, (_, i) => (i * 31) % 251)));
    const repo = repository('team/big', { chunkSize });
    const recorder = recordFetches();
    let uploaded: boolean;
    try {
      // The source hands over odd-sized pieces: chunks are re-cut to exactly chunkSize.
      const pieces = Array.from({ length: Math.ceil(big.size / 700_001) }, (_, i) => big.bytes.subarray(i * 700_001, (i + 1) * 700_001));
      ({ uploaded } = await repo.putBlob(big.digest, big.size, () => Readable.from(pieces)));
    } finally {
      recorder.restore();
    }
    expect(uploaded).toBe(true);
    const patches = recorder.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.headers.get('content-range'))).toEqual([
      '0-1048575',
      '1048576-2097151',
      '2097152-3145727',
      '3145728-4194303',
      '4194304-5242879',
      `5242880-${big.size - 1}`,
    ]);
    expect((await readAll(await repo.getBlob(big.digest, big.size))).equals(big.bytes)).toBe(true);
  });

  it('refuses content that does not match its digest before anything is stored', async () => {
    if (!registryOrSkip(registry)) return;
    const claimed = blob(Buffer.from('the bytes we said'));
    // Longer than claimed (refused as it streams), and as long but other bytes (refused by the registry's digest check).
    for (const sent of ['other bytes we sent', 'the bytes we sent']) {
      for (const chunkSize of [undefined, 4]) {
        const repo = repository('team/mismatch', chunkSize ? { chunkSize } : {});
        const error = await repo.putBlob(claimed.digest, claimed.size, () => Readable.from([Buffer.from(sent)])).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toContain(claimed.digest);
        expect(await repo.hasBlob(claimed.digest)).toBe(false);
      }
    }
  });

  it('cross-mounts a blob from another repository instead of uploading it', async () => {
    if (!registryOrSkip(registry)) return;
    const shared = blob(Buffer.alloc(50_000, 'm'));
    await pushBlobs(repository('team/source'), [shared]);
    const recorder = recordFetches();
    try {
      expect(
        await repository('team/target', { mountFrom: 'team/source' }).putBlob(shared.digest, shared.size, () =>
          Readable.from([shared.bytes]),
        ),
      ).toEqual({
        uploaded: false,
      });
    } finally {
      recorder.restore();
    }
    const posts = recorder.requests.filter((r) => r.method !== 'HEAD');
    expect(posts.map((r) => `${r.method} ${r.url.pathname} ${r.url.searchParams.get('mount')} ${r.url.searchParams.get('from')}`)).toEqual([
      `POST /v2/team/target/blobs/uploads/ ${shared.digest} team/source`,
    ]);
    expect(await repository('team/target').hasBlob(shared.digest)).toBe(true);
  });

  it('lists tags, and deletes one tag without touching another on the same manifest', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = repository('team/tags');
    expect(await repo.listTags()).toEqual([]);
    const { blobs, manifest } = model('tags');
    await pushBlobs(repo, blobs);
    for (const tag of ['v2', 'v1', 'production', 'staging', 'v10']) await repo.putManifest(manifest, tag);
    expect(await repo.listTags()).toEqual(['production', 'staging', 'v1', 'v10', 'v2']);
    await repo.deleteTag('staging');
    await repo.deleteTag('never-existed');
    expect(await repo.listTags()).toEqual(['production', 'v1', 'v10', 'v2']);
    expect((await repo.getManifest('production'))?.digest).toBe(manifest.digest);
    expect((await repo.getManifest(manifest.digest))?.digest).toBe(manifest.digest);
  });

  it('keeps referrers under the sha256-<hex> tag (no referrers API in 2.8) and filters them by artifact type', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = repository('team/lineage');
    const subject = model('lineage');
    await pushBlobs(repo, subject.blobs);
    await repo.putManifest(subject.manifest, 'v1');
    const subjectDescriptor = {
      mediaType: subject.manifest.mediaType,
      digest: subject.manifest.digest,
      size: subject.manifest.bytes.length,
    };
    expect(await repo.referrers(subject.manifest.digest)).toEqual([]);
    const evaluation = referrer(subject.manifest, 'application/vnd.mlops.evaluation.v1+json', { f1: 0.9 });
    const metrics = referrer(subject.manifest, 'application/vnd.mlops.metrics.v1+json', { loss: 0.1 });
    for (const r of [evaluation, metrics]) {
      await pushBlobs(repo, r.blobs);
      await repo.putManifest(r.manifest);
      await repo.addReferrer(subjectDescriptor, r.descriptor);
    }
    await repo.addReferrer(subjectDescriptor, evaluation.descriptor); // a second add is a no-op
    expect(await repo.referrers(subject.manifest.digest)).toEqual([evaluation.descriptor, metrics.descriptor]);
    expect(await repo.referrers(subject.manifest.digest, 'application/vnd.mlops.metrics.v1+json')).toEqual([metrics.descriptor]);
    expect(await repo.listTags()).toEqual([`sha256-${subject.manifest.digest.slice('sha256:'.length)}`, 'v1']);
    // A fresh client learns again that the registry has no referrers API.
    expect(await repository('team/lineage').referrers(subject.manifest.digest)).toHaveLength(2);
  });

  it('detects a tampered blob and a tampered manifest in the registry storage and names the digest', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = repository('team/tampered');
    const { blobs, manifest } = model('tampered');
    await pushBlobs(repo, blobs);
    await repo.putManifest(manifest, 'v1');
    const weights = blobs[1];
    const path = registry.blobDataPath(weights.digest);
    const bytes = await readFile(path);
    bytes[1000] ^= 0xff;
    await writeFile(path, bytes);
    const stream = await repo.getBlob(weights.digest, weights.size);
    const error = await readAll(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toContain(`blob ${weights.digest} from ${repo.label} does not match its digest`);

    const manifestPath = registry.blobDataPath(manifest.digest);
    const text = await readFile(manifestPath, 'utf8');
    await writeFile(manifestPath, text.replace('"tampered"', '"tampere!"'));
    const manifestError = await repo.getManifest(manifest.digest).catch((e: unknown) => e);
    expect(manifestError).toBeInstanceOf(ServiceError);
    expect((manifestError as Error).message).toContain(`manifest ${manifest.digest} in ${repo.label} does not match its digest`);
  });

  it('writes what skopeo reads: skopeo inspect --raw gives our manifest bytes, skopeo copy verifies every blob', async () => {
    if (!registryOrSkip(registry)) return;
    const repo = repository('team/interop');
    const { blobs, manifest } = model('interop');
    await pushBlobs(repo, blobs);
    await repo.putManifest(manifest, 'v1');
    const image = `docker://${registry.host}/team/interop:v1`;
    const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', image], { timeout: 60_000, encoding: 'buffer' });
    expect(Buffer.from(stdout).equals(manifest.bytes)).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'skopeo-copy-'));
    try {
      await run('skopeo', ['copy', '--insecure-policy', '--src-tls-verify=false', image, `oci:${dir}:v1`], { timeout: 120_000 });
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      expect(index.manifests.map((m) => m.digest)).toEqual([manifest.digest]);
      for (const b of blobs) expect((await readFile(join(dir, 'blobs/sha256', b.digest.slice(7)))).equals(b.bytes)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
