import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { InputError, ServiceError } from '../../../shared/errors.js';
import { withLockFile } from '../../../shared/lock-file.js';
import { sha256Digest } from '../../../shared/registry/blob-digest.js';
import { ANNOTATION_REF_NAME, ImageLayoutRepository } from '../../../shared/registry/image-layout.js';
import { EMPTY_CONFIG, type ImageIndex, type ManifestBytes, MEDIA_TYPE_MANIFEST } from '../../../shared/registry/oci-repository.js';
import { tempDir } from '../../temp-dirs.js';

function layout(): ImageLayoutRepository {
  return ImageLayoutRepository.open(join(tempDir('image-layout-'), 'registry'), 'team/iris');
}

async function put(repository: ImageLayoutRepository, text: string): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(text);
  await repository.putBlob(sha256Digest(bytes), bytes.length, () => Readable.from([bytes]));
  return { digest: sha256Digest(bytes), size: bytes.length };
}

/** A small image manifest over one blob (and a subject, for referrers); its blobs are stored. */
async function manifestOf(repository: ImageLayoutRepository, layerText: string, extra: object = {}): Promise<ManifestBytes> {
  await repository.putBlob(EMPTY_CONFIG.digest, 2, () => Readable.from([Buffer.from('{}')]));
  const layer = await put(repository, layerText);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_MANIFEST,
      config: EMPTY_CONFIG,
      layers: [{ mediaType: 'text/plain', ...layer }],
      ...extra,
    }),
  );
  return { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(bytes), bytes };
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function index(repository: ImageLayoutRepository): ImageIndex {
  return JSON.parse(readFileSync(join(repository.dir, 'index.json'), 'utf8')) as ImageIndex;
}

describe('ImageLayoutRepository blobs', () => {
  it('stores a blob once its digest and size check out, and not again', async () => {
    const repository = layout();
    const bytes = Buffer.from('hello');
    expect(await repository.putBlob(sha256Digest(bytes), 5, () => Readable.from([bytes]))).toEqual({ uploaded: true });
    expect(await repository.putBlob(sha256Digest(bytes), 5, () => Readable.from([bytes]))).toEqual({ uploaded: false });
    expect(await repository.hasBlob(sha256Digest(bytes))).toBe(true);
    expect(await text(await repository.getBlob(sha256Digest(bytes), 5))).toBe('hello');
    expect(readFileSync(join(repository.dir, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion":"1.0.0"}');
    expect(repository.label).toMatch(/registry\/team\/iris$/);
  });

  it('refuses bytes that do not match the digest or size, leaving no blob and no partial file', async () => {
    const repository = layout();
    const digest = sha256Digest(Buffer.from('hello'));
    await expect(repository.putBlob(digest, 5, () => Readable.from([Buffer.from('hellO')]))).rejects.toThrow(
      /blob sha256:\w+ has 5 bytes with digest/,
    );
    await expect(repository.putBlob(digest, 5, () => Readable.from([Buffer.from('hello, world')]))).rejects.toThrow(ServiceError);
    await expect(repository.putBlob(digest, 6, () => Readable.from([Buffer.from('hello')]))).rejects.toThrow(/expected 6 bytes/);
    expect(await repository.hasBlob(digest)).toBe(false);
    expect(readdirSync(join(repository.dir, '.partial'))).toEqual([]);
    await expect(repository.putBlob('md5:abc', 1, () => Readable.from([]))).rejects.toThrow(InputError);
  });

  it('detects a corrupted blob while streaming it, naming the digest', async () => {
    const repository = layout();
    const { digest } = await put(repository, 'the weights');
    writeFileSync(join(repository.dir, 'blobs', 'sha256', digest.slice(7)), 'the weighs!');
    await expect(text(await repository.getBlob(digest))).rejects.toThrow(`blob ${digest} is corrupt`);
    await expect(repository.getBlob(digest, 3)).rejects.toThrow(/has 11 bytes, expected 3/);
    await expect(repository.getBlob(sha256Digest(Buffer.from('nothing')))).rejects.toThrow(/is not in the layout/);
  });
});

describe('ImageLayoutRepository manifests and tags', () => {
  it('tags through ref.name annotations; re-tagging replaces and keeps the old manifest listed', async () => {
    const repository = layout();
    const v1 = await manifestOf(repository, 'one');
    const v2 = await manifestOf(repository, 'two');
    await repository.putManifest(v1, 'v1');
    await repository.putManifest(v1, 'production');
    await repository.putManifest(v2, 'v2');
    await repository.putManifest(v2, 'production');
    expect(await repository.listTags()).toEqual(['production', 'v1', 'v2']);
    expect((await repository.getManifest('production'))?.digest).toBe(v2.digest);
    expect((await repository.getManifest(v1.digest))?.bytes.equals(v1.bytes)).toBe(true);
    expect(index(repository).manifests.map((m) => [m.digest, m.annotations?.[ANNOTATION_REF_NAME]])).toEqual([
      [v1.digest, 'v1'],
      [v2.digest, 'v2'],
      [v2.digest, 'production'],
    ]);
    await repository.deleteTag('v1');
    await repository.deleteTag('never-there');
    expect(await repository.listTags()).toEqual(['production', 'v2']);
    expect(index(repository).manifests.find((m) => m.digest === v1.digest)?.annotations).toBeUndefined();
    expect(await repository.getManifest('v1')).toBeNull();
    expect(await repository.getManifest(sha256Digest(Buffer.from('x')))).toBeNull();
    await expect(repository.getManifest('-bad tag')).rejects.toThrow(InputError);
  });

  it('keeps untagged manifests listed once, and refuses bytes that do not match the digest', async () => {
    const repository = layout();
    const m = await manifestOf(repository, 'one');
    await repository.putManifest(m);
    await repository.putManifest(m);
    expect(index(repository).manifests).toEqual([{ mediaType: MEDIA_TYPE_MANIFEST, digest: m.digest, size: m.bytes.length }]);
    await repository.putManifest(m, 'v1');
    expect(index(repository).manifests).toHaveLength(1);
    await expect(repository.putManifest({ ...m, bytes: Buffer.from('{}') })).rejects.toThrow(ServiceError);
  });

  it('lists referrers of a manifest with their artifact type and annotations', async () => {
    const repository = layout();
    const model = await manifestOf(repository, 'model');
    await repository.putManifest(model, 'v1');
    const subject = { mediaType: MEDIA_TYPE_MANIFEST, digest: model.digest, size: model.bytes.length };
    const evaluation = await manifestOf(repository, '{"f1":0.9}', {
      artifactType: 'application/vnd.mlops-actions.evaluation.v1+json',
      subject,
      annotations: { 'io.github.mlops-actions.verdict': 'pass' },
    });
    const metrics = await manifestOf(repository, '{}', { artifactType: 'application/vnd.mlops-actions.metrics.v1+json', subject });
    for (const referrer of [evaluation, metrics]) {
      await repository.putManifest(referrer);
      await repository.addReferrer(subject, { mediaType: MEDIA_TYPE_MANIFEST, digest: referrer.digest, size: referrer.bytes.length });
    }
    expect(await repository.referrers(model.digest)).toHaveLength(2);
    expect(await repository.referrers(model.digest, 'application/vnd.mlops-actions.evaluation.v1+json')).toEqual([
      {
        mediaType: MEDIA_TYPE_MANIFEST,
        digest: evaluation.digest,
        size: evaluation.bytes.length,
        artifactType: 'application/vnd.mlops-actions.evaluation.v1+json',
        annotations: { 'io.github.mlops-actions.verdict': 'pass' },
      },
    ]);
    expect(await repository.referrers(evaluation.digest)).toEqual([]);
  });

  it('refuses repository names the OCI grammar refuses', () => {
    expect(() => ImageLayoutRepository.open('/tmp/x', 'Iris')).toThrow(InputError);
    expect(() => ImageLayoutRepository.open('/tmp/x', '../iris')).toThrow(InputError);
    expect(() => ImageLayoutRepository.open('/tmp/x', 'team//iris')).toThrow(InputError);
    expect(ImageLayoutRepository.open('/tmp/x', 'team/iris-v2.onnx').dir).toBe('/tmp/x/team/iris-v2.onnx');
  });
});

describe('ImageLayoutRepository.garbageCollect', () => {
  it('removes blobs no listed manifest reaches, once they are older than the grace period', async () => {
    const repository = layout();
    const kept = await manifestOf(repository, 'kept');
    await repository.putManifest(kept, 'v1');
    const referrer = await manifestOf(repository, 'referrer', {
      subject: { mediaType: MEDIA_TYPE_MANIFEST, digest: kept.digest, size: kept.bytes.length },
    });
    await repository.putManifest(referrer);
    const orphan = await put(repository, 'orphan');
    const young = await put(repository, 'young');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(repository.dir, 'blobs', 'sha256', orphan.digest.slice(7)), old, old);
    writeFileSync(join(repository.dir, '.partial', 'abandoned'), 'x');
    utimesSync(join(repository.dir, '.partial', 'abandoned'), old, old);

    const result = await repository.garbageCollect({ graceMs: 60_000 });
    expect(result).toEqual({ removed: [orphan.digest], freedBytes: 6 });
    expect(await repository.hasBlob(young.digest)).toBe(true);
    expect(readdirSync(join(repository.dir, '.partial'))).toEqual([]);
    expect((await repository.garbageCollect({ graceMs: 0 })).removed).toEqual([young.digest]);
    // Everything v1 and its referrer need is still there.
    for (const digest of [
      kept.digest,
      referrer.digest,
      EMPTY_CONFIG.digest,
      sha256Digest(Buffer.from('kept')),
      sha256Digest(Buffer.from('referrer')),
    ])
      expect(await repository.hasBlob(digest)).toBe(true);
  });

  it('does nothing to a layout that does not exist', async () => {
    expect(await layout().garbageCollect()).toEqual({ removed: [], freedBytes: 0 });
  });
});

describe('withLockFile', () => {
  it('takes over a lock whose process is gone, and gives up on a live one with a ServiceError', async () => {
    const dir = tempDir('lock-');
    const path = join(dir, 'index.json.lock');
    writeFileSync(path, `999999999 ${(await import('node:os')).hostname()} dead`);
    expect(await withLockFile(path, async () => 'ran', { waitMs: 1000 })).toBe('ran');
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, `${process.pid} some-other-host alive`);
    await expect(withLockFile(path, async () => 'ran', { waitMs: 300, what: 'the layout' })).rejects.toThrow(
      /the layout: the lock .* is still held/,
    );
    expect(await withLockFile(path, async () => 'ran', { waitMs: 300, staleMs: 0 })).toBe('ran');
  });
});
