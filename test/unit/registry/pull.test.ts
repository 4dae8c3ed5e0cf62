// Pull refuses hostile layers (made here with tar-stream, as an attacker would) and leaves nothing
// behind: not at the target, not beside it, not outside it.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { InputError, ServiceError } from '../../../shared/errors.js';
import { sha256Digest } from '../../../shared/registry/blob-digest.js';
import { buildModelPackage, pushModelPackage } from '../../../shared/registry/model-package.js';
import {
  ANNOTATION_FILEPATH,
  ARTIFACT_TYPE_MODEL_MANIFEST,
  MEDIA_TYPE_MODEL_CONFIG,
} from '../../../shared/registry/modelpack-media-types.js';
import { type Descriptor, type ManifestBytes, MEDIA_TYPE_MANIFEST } from '../../../shared/registry/oci-repository.js';
import { pullModelPackage } from '../../../shared/registry/pull.js';
import { tempDir } from '../../temp-dirs.js';
import { MemoryRepository } from './memory-repository.js';

const WEIGHT_TAR = 'application/vnd.cncf.model.weight.v1.tar';
const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');

type Entry = Partial<Header> & { name: string; body?: string };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const archive = pack();
  for (const { body, ...header } of entries) archive.entry({ mtime: new Date(0), ...header }, body ?? '');
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Stores the layers and a ModelPack manifest over them; returns the manifest. */
async function modelOf(
  repository: MemoryRepository,
  layers: { bytes: Buffer; mediaType?: string; filepath?: string }[],
): Promise<ManifestBytes> {
  const config = Buffer.from(
    JSON.stringify({ descriptor: { name: 'm' }, config: { format: 'onnx' }, modelfs: { type: 'layers', diffIds: ['x'] } }),
  );
  repository.blobs.set(sha256Digest(config), config);
  const descriptors: Descriptor[] = layers.map(({ bytes, mediaType = WEIGHT_TAR, filepath }) => {
    repository.blobs.set(sha256Digest(bytes), bytes);
    return {
      mediaType,
      digest: sha256Digest(bytes),
      size: bytes.length,
      ...(filepath === undefined ? {} : { annotations: { [ANNOTATION_FILEPATH]: filepath } }),
    };
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_MANIFEST,
      artifactType: ARTIFACT_TYPE_MODEL_MANIFEST,
      config: { mediaType: MEDIA_TYPE_MODEL_CONFIG, digest: sha256Digest(config), size: config.length },
      layers: descriptors,
    }),
  );
  return { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(manifest), bytes: manifest };
}

/** A folder `work/` holding `parent/` (where the target goes), to check nothing lands beside or above it. */
function workspace(): { root: string; parent: string; target: string } {
  const root = tempDir('pull-');
  const parent = join(root, 'parent');
  mkdirSync(parent);
  return { root, parent, target: join(parent, 'model') };
}

function expectNothingWritten({ root, parent }: { root: string; parent: string }): void {
  expect(readdirSync(parent)).toEqual([]);
  expect(readdirSync(root)).toEqual(['parent']);
}

const good: Entry = { name: 'model.onnx', body: 'weights' };
const hostile: [string, Entry[], RegExp][] = [
  ['a path climbing out with ..', [good, { name: '../x', body: 'escaped' }], /entry "\.\.\/x" leaves the model folder/],
  ['a nested .. path', [good, { name: 'a/../../x', body: 'escaped' }], /leaves the model folder/],
  ['an absolute path', [good, { name: '/etc/x', body: 'escaped' }], /entry "\/etc\/x" is an absolute path/],
  [
    'a symbolic link leaving the target',
    [good, { name: 'link', type: 'symlink', linkname: '/etc' }, { name: 'link/passwd', body: 'x' }],
    /symbolic link to "\/etc"/,
  ],
  ['a symbolic link inside the target', [good, { name: 'alias.onnx', type: 'symlink', linkname: 'model.onnx' }], /links are refused/],
  ['a hard link', [good, { name: 'hard', type: 'link', linkname: 'model.onnx' }], /entry "hard" is a hard link/],
  [
    'a character device',
    [good, { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 }],
    /entry "null" is a character-device/,
  ],
  ['a block device', [good, { name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 }], /is a block-device/],
  ['a fifo', [good, { name: 'pipe', type: 'fifo' }], /entry "pipe" is a fifo/],
  ['a file repeated', [good, { name: 'model.onnx', body: 'other' }], /model\.onnx appears twice/],
  ['a .. path in a pax header', [good, { name: '../é-escaped', body: 'x' }], /entry "\.\.\/é-escaped" leaves the model folder/],
  ['a backslash path', [good, { name: '..\\x', body: 'x' }], /contains a backslash/],
];

describe('pullModelPackage refuses hostile tar layers', () => {
  it.each(hostile)('%s: InputError naming the layer and entry, nothing written', async (_what, entries, message) => {
    const repository = new MemoryRepository();
    const manifest = await modelOf(repository, [{ bytes: await tarOf(entries), filepath: 'model.onnx' }]);
    const dirs = workspace();
    const error = await pullModelPackage(repository, manifest, dirs.target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^layer 1 \(model\.onnx\)/);
    expectNothingWritten(dirs);
    expect(existsSync('/etc/x')).toBe(false);
  });

  it('refuses a raw layer whose filepath annotation leaves the target', async () => {
    const repository = new MemoryRepository();
    const manifest = await modelOf(repository, [
      { bytes: Buffer.from('x'), mediaType: 'application/vnd.cncf.model.weight.v1.raw', filepath: '../../x' },
    ]);
    const dirs = workspace();
    await expect(pullModelPackage(repository, manifest, dirs.target)).rejects.toThrow(/filepath "\.\.\/\.\.\/x" leaves the model folder/);
    expectNothingWritten(dirs);
  });

  it('refuses a truncated tar as the layer it is', async () => {
    const repository = new MemoryRepository();
    const tar = await tarOf([{ name: 'model.onnx', body: 'w'.repeat(5000) }]);
    const manifest = await modelOf(repository, [{ bytes: tar.subarray(0, 2048), filepath: 'model.onnx' }]);
    const dirs = workspace();
    await expect(pullModelPackage(repository, manifest, dirs.target)).rejects.toThrow(/layer 1 \(model\.onnx\) is not a valid tar archive/);
    expectNothingWritten(dirs);
  });
});

describe('pullModelPackage verifies digests', () => {
  it('names a corrupt layer and extracts nothing', async () => {
    const repository = new MemoryRepository();
    const pkg = await buildModelPackage(fixture, { name: 'digits' }, { sourceDateEpoch: '0' });
    await pushModelPackage(repository, pkg);
    const data = pkg.layers.find((l) => l.filepath === 'model.onnx.data')!.descriptor;
    const blob = Buffer.from(repository.blobs.get(data.digest)!);
    blob[1000] ^= 0xff;
    repository.blobs.set(data.digest, blob);
    const dirs = workspace();
    const error = await pullModelPackage(repository, pkg.manifest, dirs.target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toContain(`layer 2 (model.onnx.data): blob ${data.digest} is corrupt`);
    expectNothingWritten(dirs);
  });

  it('refuses a blob longer than its descriptor says', async () => {
    const repository = new MemoryRepository();
    const manifest = await modelOf(repository, [{ bytes: await tarOf([good]), filepath: 'model.onnx' }]);
    const layer = JSON.parse(manifest.bytes.toString()).layers[0] as Descriptor;
    repository.blobs.set(layer.digest, Buffer.concat([repository.blobs.get(layer.digest)!, Buffer.alloc(4096)]));
    const dirs = workspace();
    await expect(pullModelPackage(repository, manifest, dirs.target)).rejects.toThrow(/holds more than the \d+ bytes expected/);
    expectNothingWritten(dirs);
  });

  it('refuses a manifest whose bytes do not match its digest, and manifests that are not models', async () => {
    const repository = new MemoryRepository();
    const manifest = await modelOf(repository, [{ bytes: await tarOf([good]) }]);
    const dirs = workspace();
    await expect(pullModelPackage(repository, { ...manifest, digest: sha256Digest(Buffer.from('other')) }, dirs.target)).rejects.toThrow(
      ServiceError,
    );
    const image = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json' },
        layers: [],
      }),
    );
    await expect(
      pullModelPackage(repository, { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(image), bytes: image }, dirs.target),
    ).rejects.toThrow(/is not a ModelPack model/);
    expectNothingWritten(dirs);
  });
});

describe('pullModelPackage extracts', () => {
  it('a package byte for byte, with folders, gzip and raw layers, and skips unknown media types', async () => {
    const repository = new MemoryRepository();
    const manifest = await modelOf(repository, [
      {
        bytes: await tarOf([
          { name: './weights/', type: 'directory' },
          { name: 'weights/a.bin', body: 'A', mode: 0o4777 },
        ]),
        filepath: 'weights',
      },
      {
        bytes: gzipSync(await tarOf([{ name: 'README.md', body: '# hi' }])),
        mediaType: 'application/vnd.cncf.model.doc.v1.tar+gzip',
        filepath: 'README.md',
      },
      { bytes: Buffer.from('raw bytes'), mediaType: 'application/vnd.cnai.model.weight.v1.raw', filepath: 'deep/raw.bin' },
      { bytes: Buffer.from('?'), mediaType: 'application/vnd.example.unknown' },
    ]);
    const { target } = workspace();
    const pulled = await pullModelPackage(repository, manifest, target);
    expect(pulled.files.map((f) => [f.path, f.size])).toEqual([
      ['weights/a.bin', 1],
      ['README.md', 4],
      ['deep/raw.bin', 9],
    ]);
    expect(pulled.skippedLayers.map((l) => l.mediaType)).toEqual(['application/vnd.example.unknown']);
    expect(readFileSync(join(target, 'weights', 'a.bin'), 'utf8')).toBe('A');
    expect(readFileSync(join(target, 'deep', 'raw.bin'), 'utf8')).toBe('raw bytes');
    expect(statSync(join(target, 'weights', 'a.bin')).mode & 0o7777).toBe(0o755 & ~process.umask());
    expect(statSync(target).mode & 0o777).toBe(0o755);
  });

  it('refuses a non-empty target unless asked to replace it', async () => {
    const repository = new MemoryRepository();
    const manifest = await modelOf(repository, [{ bytes: await tarOf([good]) }]);
    const { target } = workspace();
    mkdirSync(target);
    writeFileSync(join(target, 'old.txt'), 'old');
    await expect(pullModelPackage(repository, manifest, target)).rejects.toThrow(/not empty/);
    expect(readFileSync(join(target, 'old.txt'), 'utf8')).toBe('old');
    await pullModelPackage(repository, manifest, target, { replace: true });
    expect(readdirSync(target)).toEqual(['model.onnx']);
  });
});
