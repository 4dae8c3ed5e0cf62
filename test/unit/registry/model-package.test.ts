import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { InputError } from '../../../shared/errors.js';
import { sha256Digest } from '../../../shared/registry/blob-digest.js';
import {
  buildModelPackage,
  detectModelFormat,
  layerKindOf,
  packageTime,
  pushModelPackage,
} from '../../../shared/registry/model-package.js';
import * as mediaTypes from '../../../shared/registry/modelpack-media-types.js';
import { modelPackConfigJsonSchema } from '../../../shared/schemas/modelpack-config.js';
import { tempDir } from '../../temp-dirs.js';
import { MemoryRepository } from './memory-repository.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');
const meta = { name: 'digits', version: 'v1', revision: 'ffac537e6cbbf934b08745a378932722df287a53', commitTime: '2026-11-30T10:00:00Z' };

/** A copy of the fixture model with the given mtimes and permission bits. */
function copyOfFixture(mtime: Date, mode: number): string {
  const dir = tempDir('model-package-');
  for (const name of ['model.onnx', 'model.onnx.data']) {
    copyFileSync(join(fixture, name), join(dir, name));
    chmodSync(join(dir, name), mode);
    utimesSync(join(dir, name), mtime, mtime);
  }
  return dir;
}

async function entriesOf(
  stream: NodeJS.ReadableStream,
): Promise<{ name: string; mode: number; uid: number; gid: number; uname: string; mtime: Date; size: number }[]> {
  const tar = extract();
  stream.pipe(tar as unknown as NodeJS.WritableStream);
  const found = [];
  for await (const entry of tar) {
    const { name, mode, uid, gid, uname, mtime, size } = entry.header;
    found.push({ name, mode, uid, gid, uname, mtime, size });
    entry.resume();
  }
  return found;
}

describe('buildModelPackage', () => {
  it("computes every layer's digest and size as those of the tar its content() streams", async () => {
    // Names that tar writes plainly, with a ustar prefix (over 100 bytes), and with a pax header (non-ASCII,
    // over 255 bytes); sizes around a 512-byte block and over the 1 MiB read buffer.
    const dir = tempDir('model-package-framing-');
    const long = `${'nested-folder-name/'.repeat(6)}weights.bin`;
    const files: [string, number][] = [
      ['model.onnx', 0],
      ['a.bin', 1],
      ['b.bin', 512],
      ['c.bin', 513],
      ['d.bin', (1 << 20) * 2 + 777],
      [long, 100],
      ['modèle-poids.bin', 1000],
      [`${'deep/'.repeat(60)}x.bin`, 3],
    ];
    for (const [name, size] of files) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), Buffer.alloc(size, name));
    }
    const pkg = await buildModelPackage(dir, { name: 'framing', format: 'onnx' });
    expect(pkg.layers).toHaveLength(files.length);
    for (const layer of pkg.layers) {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of layer.content() as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
      }
      expect({ path: layer.filepath, digest: layer.descriptor.digest, size: layer.descriptor.size }).toEqual({
        path: layer.filepath,
        digest: `sha256:${hash.digest('hex')}`,
        size,
      });
    }
  });

  it('gives the same manifest digest for the same files, whatever their mtimes and umask-dependent bits', async () => {
    const a = await buildModelPackage(copyOfFixture(new Date('2020-01-01T00:00:00Z'), 0o600), meta, { sourceDateEpoch: undefined });
    const b = await buildModelPackage(copyOfFixture(new Date('2024-06-01T12:34:56Z'), 0o664), meta, { sourceDateEpoch: undefined });
    const again = await buildModelPackage(copyOfFixture(new Date('2024-06-01T12:34:56Z'), 0o644), meta, { sourceDateEpoch: undefined });
    expect(b.manifest.digest).toBe(a.manifest.digest);
    expect(again.manifest.bytes.equals(a.manifest.bytes)).toBe(true);
    expect(a.created).toBe('2026-11-30T10:00:00Z');
  });

  it('gives a pinned digest, so a change of tar library or serialisation shows here before it changes every model', async () => {
    const pkg = await buildModelPackage(
      join(fixture, 'model.onnx'),
      { name: 'digits', version: 'v1', revision: meta.revision },
      { sourceDateEpoch: '1700000000' },
    );
    expect(pkg.layers[0].descriptor.digest).toBe('sha256:a62329c790acfa71d848ac995e1aabb820d3aaea585971d1f5229ae5aecf2c21');
    expect(pkg.manifest.digest).toBe('sha256:a0f57d3944223b226029a5c49dcf00826e16ea19de4dfc4871739def3bd957af');
  });

  it('gives the same digest for files written under different umasks', async () => {
    const written = (umask: number): string => {
      const dir = tempDir('model-package-umask-');
      const previous = process.umask(umask);
      try {
        for (const name of ['model.onnx', 'model.onnx.data']) writeFileSync(join(dir, name), readFileSync(join(fixture, name)));
      } finally {
        process.umask(previous);
      }
      return dir;
    };
    const strict = await buildModelPackage(written(0o077), meta);
    const loose = await buildModelPackage(written(0o002), meta);
    expect(loose.manifest.digest).toBe(strict.manifest.digest);
  });

  it('takes every timestamp from SOURCE_DATE_EPOCH over the commit time', async () => {
    const pkg = await buildModelPackage(copyOfFixture(new Date(), 0o644), meta, { sourceDateEpoch: '1700000000' });
    expect(pkg.created).toBe('2023-11-14T22:13:20Z');
    expect(pkg.manifestJson.annotations?.['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20Z');
    expect(pkg.config.json.descriptor.createdAt).toBe('2023-11-14T22:13:20Z');
    const entries = await entriesOf(pkg.layers[0].content());
    expect(entries).toEqual([{ name: 'model.onnx', mode: 0o644, uid: 0, gid: 0, uname: '', mtime: new Date(1700000000_000), size: 4484 }]);
    const metadata = JSON.parse(pkg.layers[0].descriptor.annotations?.[mediaTypes.ANNOTATION_FILE_METADATA] ?? '');
    expect(metadata).toEqual({ name: 'model.onnx', mode: 0o644, uid: 0, gid: 0, size: 4484, mtime: '2023-11-14T22:13:20Z', typeflag: 48 });
    await expect(buildModelPackage(fixture, meta, { sourceDateEpoch: 'yesterday' })).rejects.toThrow(InputError);
  });

  it('changes the digest when the commit or a file changes', async () => {
    const dir = copyOfFixture(new Date(), 0o644);
    const base = await buildModelPackage(dir, meta, { sourceDateEpoch: '1700000000' });
    const otherCommit = await buildModelPackage(dir, { ...meta, revision: 'b'.repeat(40) }, { sourceDateEpoch: '1700000000' });
    writeFileSync(join(dir, 'model.onnx.data'), 'other weights');
    const otherWeights = await buildModelPackage(dir, meta, { sourceDateEpoch: '1700000000' });
    expect(new Set([base.manifest.digest, otherCommit.manifest.digest, otherWeights.manifest.digest]).size).toBe(3);
    expect(otherWeights.layers[0].descriptor.digest).toBe(base.layers[0].descriptor.digest);
  });

  it('writes one weight layer per weight file, with the spec media types and annotations', async () => {
    const pkg = await buildModelPackage(fixture, meta, { sourceDateEpoch: '1700000000' });
    const manifest = JSON.parse(pkg.manifest.bytes.toString());
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.artifactType).toBe('application/vnd.cncf.model.manifest.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.cncf.model.config.v1+json');
    expect(
      manifest.layers.map((l: { mediaType: string; annotations: Record<string, string> }) => [
        l.mediaType,
        l.annotations['org.cncf.model.filepath'],
      ]),
    ).toEqual([
      ['application/vnd.cncf.model.weight.v1.tar', 'model.onnx'],
      ['application/vnd.cncf.model.weight.v1.tar', 'model.onnx.data'],
      ['application/vnd.cncf.model.weight.config.v1.tar', 'metrics.json'],
      ['application/vnd.cncf.model.dataset.v1.tar', 'expected.jsonl'],
    ]);
    expect(pkg.config.json.config.format).toBe('onnx');
    expect(pkg.config.json.modelfs.diffIds).toEqual(manifest.layers.map((l: { digest: string }) => l.digest));
    expect(manifest.annotations).toEqual({
      'io.github.mlops-actions.format': 'onnx',
      'io.github.mlops-actions.name': 'digits',
      'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
      'org.opencontainers.image.revision': meta.revision,
      'org.opencontainers.image.title': 'digits',
      'org.opencontainers.image.version': 'v1',
    });
    expect(pkg.manifest.bytes.toString()).not.toMatch(/https?:\/\//);
  });

  it('puts docs and code in their own layers and flags files it could only guess at', async () => {
    const dir = tempDir('model-package-kinds-');
    for (const name of ['model.safetensors', 'README.md', 'LICENSE', 'serve.py', 'tokenizer.json', 'weights.xyz'])
      writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'run.sh'), 'echo');
    chmodSync(join(dir, 'sub', 'run.sh'), 0o775);
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref');
    symlinkSync(join(dir, 'README.md'), join(dir, 'README.link.md'));
    const pkg = await buildModelPackage(dir, meta, { sourceDateEpoch: '0' });
    expect(pkg.layers.map((l) => [l.kind, l.filepath, l.descriptor.annotations?.[mediaTypes.ANNOTATION_MEDIA_TYPE_UNTESTED]])).toEqual([
      ['weight', 'model.safetensors', undefined],
      ['weight', 'weights.xyz', 'true'],
      ['weight.config', 'tokenizer.json', undefined],
      ['code', 'serve.py', undefined],
      ['code', 'sub/run.sh', undefined],
      ['doc', 'LICENSE', undefined],
      ['doc', 'README.link.md', undefined],
      ['doc', 'README.md', undefined],
    ]);
    expect(pkg.config.json.config.format).toBe('safetensors');
    const script = pkg.layers.find((l) => l.filepath === 'sub/run.sh')!;
    expect((await entriesOf(script.content()))[0]).toMatchObject({ name: 'sub/run.sh', mode: 0o755 });
  });

  it('packages a single file under its own name', async () => {
    const pkg = await buildModelPackage(join(fixture, 'model.onnx'), meta, { sourceDateEpoch: '0' });
    expect(pkg.layers.map((l) => l.filepath)).toEqual(['model.onnx']);
  });

  it('lets an explicit format win and refuses what it cannot package', async () => {
    const dir = tempDir('model-package-format-');
    writeFileSync(join(dir, 'model.pt'), 'pt');
    writeFileSync(join(dir, 'model.onnx'), 'onnx');
    await expect(buildModelPackage(dir, meta, { sourceDateEpoch: '0' })).rejects.toThrow(/several formats \(onnx, pt\)/);
    expect((await buildModelPackage(dir, { ...meta, format: 'pt' }, { sourceDateEpoch: '0' })).config.json.config.format).toBe('pt');
    const unknown = tempDir('model-package-unknown-');
    writeFileSync(join(unknown, 'weights.xyz'), 'x');
    await expect(buildModelPackage(unknown, meta, { sourceDateEpoch: '0' })).rejects.toThrow(/set `format`/);
    await expect(buildModelPackage(join(unknown, 'missing'), meta)).rejects.toThrow(InputError);
    await expect(buildModelPackage(tempDir('model-package-empty-'), meta)).rejects.toThrow(/holds no files/);
    await expect(buildModelPackage(dir, { ...meta, format: 'pt', paramSize: 'huge' }, { sourceDateEpoch: '0' })).rejects.toThrow(
      /paramSize/,
    );
    await expect(
      buildModelPackage(dir, { ...meta, format: 'pt', annotations: { 'org.example.x': 'y' } }, { sourceDateEpoch: '0' }),
    ).rejects.toThrow(/not under io\.github\.mlops-actions\./);
  });

  it('produces a config our schema (and Ajv) accepts, full metadata included', async () => {
    const pkg = await buildModelPackage(
      fixture,
      {
        ...meta,
        title: 'Digits MLP',
        description: 'An MLP on the digits data',
        authors: ['ML team <ml@example.com>'],
        licenses: ['MIT'],
        sourceUrl: 'https://github.com/octo-org/ml-repo',
        architecture: 'mlp',
        paramSize: '0.1k',
        precision: 'float32',
      },
      { sourceDateEpoch: '1700000000' },
    );
    const ajv = new Ajv({ strict: true });
    expect(ajv.validate(modelPackConfigJsonSchema, JSON.parse(pkg.config.bytes.toString()))).toBe(true);
    expect(pkg.manifestJson.annotations?.['org.opencontainers.image.licenses']).toBe('MIT');
    expect(pkg.manifestJson.annotations?.['org.opencontainers.image.source']).toBe('https://github.com/octo-org/ml-repo');
  });
});

describe('a build with pushTo', () => {
  /** A MemoryRepository that logs blob and manifest writes in order, and can fail the upload of one blob. */
  class LoggingRepository extends MemoryRepository {
    readonly log: string[] = [];
    failing?: string;
    override async putBlob(digest: string, size: number, content: () => import('node:stream').Readable): Promise<{ uploaded: boolean }> {
      if (await this.hasBlob(digest)) return { uploaded: false };
      if (digest === this.failing) throw new Error(`upload of ${digest} refused`);
      this.log.push(`blob ${digest}`);
      return super.putBlob(digest, size, content);
    }
    override async putManifest(...args: Parameters<MemoryRepository['putManifest']>): Promise<void> {
      this.log.push(`manifest ${args[0].digest}`);
      return super.putManifest(...args);
    }
  }

  it('uploads the layers while it builds, the same bytes, the manifest last; a second push uploads nothing', async () => {
    const repository = new LoggingRepository();
    const pkg = await buildModelPackage(fixture, meta, { sourceDateEpoch: '0', pushTo: repository });
    const plain = await buildModelPackage(fixture, meta, { sourceDateEpoch: '0' });
    expect(pkg.manifest.digest).toBe(plain.manifest.digest);
    // Every layer is up before the push is even called.
    for (const layer of pkg.layers) expect(await repository.hasBlob(layer.descriptor.digest)).toBe(true);
    expect(await pushModelPackage(repository, pkg, 'v1')).toEqual({ uploaded: pkg.layers.length + 1, skipped: 0 });
    expect(repository.log.at(-1)).toBe(`manifest ${pkg.manifest.digest}`);
    expect(repository.log).toHaveLength(pkg.layers.length + 2);
    for (const layer of pkg.layers) expect(sha256Digest(repository.blobs.get(layer.descriptor.digest)!)).toBe(layer.descriptor.digest);

    const again = await buildModelPackage(fixture, meta, { sourceDateEpoch: '0', pushTo: repository });
    expect(await pushModelPackage(repository, again, 'v1')).toEqual({ uploaded: 0, skipped: pkg.layers.length + 1 });
    // A push to another store than the build's uploads everything itself.
    const other = new LoggingRepository();
    expect(await pushModelPackage(other, again, 'v1')).toEqual({ uploaded: pkg.layers.length + 1, skipped: 0 });
  });

  it('reports a failed upload from push and puts no manifest', async () => {
    const repository = new LoggingRepository();
    const plain = await buildModelPackage(fixture, meta, { sourceDateEpoch: '0' });
    repository.failing = plain.layers.find((layer) => layer.filepath === 'model.onnx.data')!.descriptor.digest;
    const pkg = await buildModelPackage(fixture, meta, { sourceDateEpoch: '0', pushTo: repository });
    await expect(pushModelPackage(repository, pkg, 'v1')).rejects.toThrow(`upload of ${repository.failing} refused`);
    expect(repository.log.filter((line) => line.startsWith('manifest'))).toEqual([]);
  });
});

describe('layer kinds, formats and package time', () => {
  it('classifies files by name', () => {
    expect(layerKindOf('model.onnx.data')).toEqual({ kind: 'weight', guessed: false });
    expect(layerKindOf('docs/MODEL_CARD.md').kind).toBe('doc');
    expect(layerKindOf('requirements.txt').kind).toBe('code');
    expect(layerKindOf('train.parquet').kind).toBe('dataset');
    expect(layerKindOf('config.json').kind).toBe('weight.config');
  });

  it('detects formats from weight file extensions', () => {
    expect(detectModelFormat(['model.onnx', 'model.onnx.data'])).toBe('onnx');
    expect(detectModelFormat(['model.joblib'])).toBe('joblib');
    expect(detectModelFormat(['a.pkl', 'b.pickle'])).toBe('pkl');
    expect(detectModelFormat(['m.gguf'])).toBe('gguf');
    expect(detectModelFormat(['model.pth', 'README.md'])).toBe('pt');
    expect(detectModelFormat(['notes.txt'])).toBeUndefined();
  });

  it('falls back from SOURCE_DATE_EPOCH to the commit time to the epoch, in whole seconds', () => {
    expect(packageTime('86400', '2026-01-01T00:00:00Z').toISOString()).toBe('1970-01-02T00:00:00.000Z');
    expect(packageTime('', '2026-01-01T00:00:00.987Z').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(packageTime(undefined).getTime()).toBe(0);
    expect(() => packageTime('-5')).toThrow(InputError);
  });
});

describe('ModelPack media types', () => {
  it('are exactly the spec constants (mediatype.go)', () => {
    expect(mediaTypes.ARTIFACT_TYPE_MODEL_MANIFEST).toBe('application/vnd.cncf.model.manifest.v1+json');
    expect(mediaTypes.MEDIA_TYPE_MODEL_CONFIG).toBe('application/vnd.cncf.model.config.v1+json');
    expect(mediaTypes.MEDIA_TYPE_MODEL_WEIGHT).toBe('application/vnd.cncf.model.weight.v1.tar');
    expect(mediaTypes.MEDIA_TYPE_MODEL_WEIGHT_RAW).toBe('application/vnd.cncf.model.weight.v1.raw');
    expect(mediaTypes.MEDIA_TYPE_MODEL_WEIGHT_CONFIG_ZSTD).toBe('application/vnd.cncf.model.weight.config.v1.tar+zstd');
    expect(mediaTypes.MEDIA_TYPE_MODEL_DOC_GZIP).toBe('application/vnd.cncf.model.doc.v1.tar+gzip');
    expect(mediaTypes.MEDIA_TYPE_MODEL_CODE).toBe('application/vnd.cncf.model.code.v1.tar');
    expect(mediaTypes.MEDIA_TYPE_MODEL_DATASET_RAW).toBe('application/vnd.cncf.model.dataset.v1.raw');
    expect(mediaTypes.modelLayerMediaType('weight.config', 'tar')).toBe(mediaTypes.MEDIA_TYPE_MODEL_WEIGHT_CONFIG);
  });

  it('read the pre-v0.0.7 cnai spelling as cncf', () => {
    expect(mediaTypes.parseModelLayerMediaType('application/vnd.cnai.model.weight.v1.tar')).toEqual({ kind: 'weight', format: 'tar' });
    expect(mediaTypes.parseModelLayerMediaType('application/vnd.cncf.model.weight.config.v1.raw')).toEqual({
      kind: 'weight.config',
      format: 'raw',
    });
    expect(mediaTypes.parseModelLayerMediaType('application/vnd.oci.image.layer.v1.tar')).toBeNull();
    expect(mediaTypes.isModelPackArtifactType('application/vnd.cnai.model.manifest.v1+json')).toBe(true);
  });
});
