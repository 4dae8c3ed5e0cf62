// Small ModelPack-shaped content for the registry tests: blobs, a model manifest and a lineage referrer.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  EMPTY_CONFIG,
  MEDIA_TYPE_MANIFEST,
  type Descriptor,
  type ManifestBytes,
  type OciRepository,
} from '../../../shared/registry/oci-repository.js';

export interface TestBlob extends Descriptor {
  bytes: Buffer;
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function blob(bytes: Buffer, mediaType = 'application/vnd.cncf.model.weight.v1.raw'): TestBlob {
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes };
}

export function manifestBytes(manifest: object): ManifestBytes {
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256(bytes), bytes };
}

export function descriptorOf({ mediaType, digest, size }: Descriptor): Descriptor {
  return { mediaType, digest, size };
}

/** A model: config, two weight layers; `seed` varies the content. */
export function model(seed: string): { blobs: TestBlob[]; manifest: ManifestBytes } {
  const config = blob(
    Buffer.from(JSON.stringify({ descriptor: { name: seed }, config: { format: 'onnx' }, modelfs: { type: 'layers', diffIds: [] } })),
    'application/vnd.cncf.model.config.v1+json',
  );
  const weights = blob(Buffer.alloc(200_000, seed));
  const data = blob(Buffer.from(`external weights of ${seed}`));
  const manifest = manifestBytes({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    artifactType: 'application/vnd.cncf.model.manifest.v1+json',
    config: descriptorOf(config),
    layers: [weights, data].map(descriptorOf),
    annotations: { 'org.opencontainers.image.title': seed },
  });
  return { blobs: [config, weights, data], manifest };
}

/** A lineage referrer of `subject`: empty config, one JSON layer, annotations. */
export function referrer(
  subject: ManifestBytes,
  artifactType: string,
  report: object,
): { blobs: TestBlob[]; manifest: ManifestBytes; descriptor: Descriptor } {
  const empty = blob(Buffer.from('{}'), EMPTY_CONFIG.mediaType);
  const layer = blob(Buffer.from(JSON.stringify(report)), 'application/json');
  const annotations = { 'org.example.verdict': 'pass' };
  const manifest = manifestBytes({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    artifactType,
    config: EMPTY_CONFIG,
    layers: [descriptorOf(layer)],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length },
    annotations,
  });
  const descriptor: Descriptor = {
    mediaType: MEDIA_TYPE_MANIFEST,
    digest: manifest.digest,
    size: manifest.bytes.length,
    artifactType,
    annotations,
  };
  return { blobs: [empty, layer], manifest, descriptor };
}

export async function pushBlobs(repository: OciRepository, blobs: TestBlob[]): Promise<boolean[]> {
  const uploaded: boolean[] = [];
  for (const b of blobs) uploaded.push((await repository.putBlob(b.digest, b.size, () => Readable.from([b.bytes]))).uploaded);
  return uploaded;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Records every request the code under test sends through fetch (method and URL). */
export function recordFetches(): { requests: { method: string; url: URL; headers: Headers }[]; restore: () => void } {
  const original = globalThis.fetch;
  const requests: { method: string; url: URL; headers: Headers }[] = [];
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    requests.push({
      method: init?.method ?? 'GET',
      url: new URL(String(input instanceof Request ? input.url : input)),
      headers: new Headers(init?.headers),
    });
    return original(input, init);
  }) as typeof fetch;
  return { requests, restore: () => (globalThis.fetch = original) };
}
