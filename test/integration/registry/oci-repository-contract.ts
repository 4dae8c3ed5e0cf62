// The OciRepository contract (shared/registry/oci-repository.ts) as one suite every store runs: the
// layout folder here, a distribution registry in its own test file, so both behave the same.
// Usage: describeOciRepositoryContract('the image layout', async () => repositoryForOneTest);
import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { sha256Digest } from '../../../shared/registry/blob-digest.js';
import { buildModelPackage, pushModelPackage } from '../../../shared/registry/model-package.js';
import { EMPTY_CONFIG, type ManifestBytes, MEDIA_TYPE_MANIFEST, type OciRepository } from '../../../shared/registry/oci-repository.js';
import { pullModelPackage } from '../../../shared/registry/pull.js';
import { tempDir } from '../../temp-dirs.js';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function putBytes(repository: OciRepository, bytes: Buffer): Promise<{ digest: string; size: number; uploaded: boolean }> {
  const { uploaded } = await repository.putBlob(sha256Digest(bytes), bytes.length, () => Readable.from([bytes]));
  return { digest: sha256Digest(bytes), size: bytes.length, uploaded };
}

/** A small manifest over one layer (with optional subject and annotations); its blobs are pushed. */
async function smallManifest(repository: OciRepository, text: string, extra: object = {}): Promise<ManifestBytes> {
  await putBytes(repository, Buffer.from('{}'));
  const layer = await putBytes(repository, Buffer.from(text));
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_MANIFEST,
      config: EMPTY_CONFIG,
      layers: [{ mediaType: 'application/json', digest: layer.digest, size: layer.size }],
      ...extra,
    }),
  );
  return { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(bytes), bytes };
}

export function describeOciRepositoryContract(name: string, open: () => Promise<OciRepository>, fixtureModel: string): void {
  describe(`${name} keeps the OciRepository contract`, () => {
    it('stores a blob only when its bytes match the digest and size, once', async () => {
      const repository = await open();
      const bytes = Buffer.from(`blob ${Math.random()}`);
      const digest = sha256Digest(bytes);
      await expect(repository.putBlob(digest, bytes.length, () => Readable.from([Buffer.from('other bytes')]))).rejects.toThrow();
      expect(await repository.hasBlob(digest)).toBe(false);
      expect((await putBytes(repository, bytes)).uploaded).toBe(true);
      expect((await putBytes(repository, bytes)).uploaded).toBe(false);
      expect(await repository.hasBlob(digest)).toBe(true);
      expect((await bytesOf(await repository.getBlob(digest, bytes.length))).equals(bytes)).toBe(true);
    });

    it('keeps manifests byte for byte, by tag and by digest, and moves tags', async () => {
      const repository = await open();
      const one = await smallManifest(repository, '{"n":1}');
      const two = await smallManifest(repository, '{"n":2}');
      await repository.putManifest(one, 'v1');
      await repository.putManifest(one, 'production');
      await repository.putManifest(two, 'production');
      expect(await repository.getManifest('v1')).toEqual(one);
      expect(await repository.getManifest(one.digest)).toEqual(one);
      expect(await repository.getManifest('production')).toEqual(two);
      expect(await repository.listTags()).toEqual(expect.arrayContaining(['production', 'v1']));
      await repository.deleteTag('production');
      expect(await repository.getManifest('production')).toBeNull();
      expect(await repository.listTags()).not.toContain('production');
      expect(await repository.getManifest('never-pushed')).toBeNull();
      expect(await repository.getManifest(sha256Digest(Buffer.from('never pushed')))).toBeNull();
    });

    it('lists referrers with their artifact type and annotations, filtered by type', async () => {
      const repository = await open();
      const model = await smallManifest(repository, '{"model":true}');
      await repository.putManifest(model, 'model');
      const subject = { mediaType: MEDIA_TYPE_MANIFEST, digest: model.digest, size: model.bytes.length };
      const types = ['application/vnd.mlops-actions.evaluation.v1+json', 'application/vnd.mlops-actions.metrics.v1+json'];
      const referrers: ManifestBytes[] = [];
      for (const artifactType of types) {
        const referrer = await smallManifest(repository, `{"${artifactType}":1}`, {
          artifactType,
          subject,
          annotations: { 'io.github.mlops-actions.kind': artifactType },
        });
        await repository.putManifest(referrer);
        await repository.addReferrer(subject, {
          mediaType: MEDIA_TYPE_MANIFEST,
          digest: referrer.digest,
          size: referrer.bytes.length,
          artifactType,
        });
        referrers.push(referrer);
      }
      expect((await repository.referrers(model.digest)).map((d) => d.digest).sort()).toEqual(referrers.map((r) => r.digest).sort());
      expect(await repository.referrers(model.digest, types[0])).toEqual([
        {
          mediaType: MEDIA_TYPE_MANIFEST,
          digest: referrers[0].digest,
          size: referrers[0].bytes.length,
          artifactType: types[0],
          annotations: { 'io.github.mlops-actions.kind': types[0] },
        },
      ]);
    });

    it('carries a ModelPack model there and back byte for byte', async () => {
      const repository = await open();
      const pkg = await buildModelPackage(fixtureModel, { name: 'contract', version: 'v1' }, { sourceDateEpoch: '0' });
      await pushModelPackage(repository, pkg, 'contract-v1');
      expect((await pushModelPackage(repository, pkg, 'contract-v1')).uploaded).toBe(0);
      const manifest = await repository.getManifest('contract-v1');
      const target = `${tempDir('contract-pull-')}/model`;
      const pulled = await pullModelPackage(repository, manifest!, target);
      expect(pulled.files.map((f) => f.path).sort()).toEqual(pkg.layers.map((l) => l.filepath).sort());
    });
  });
}
