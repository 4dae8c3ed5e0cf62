import { pipeline, Readable } from 'node:stream';
import { ServiceError } from '../../../shared/errors.js';
import { describeMismatch, digestVerifier } from '../../../shared/registry/blob-digest.js';
import type { Descriptor, ManifestBytes, OciRepository } from '../../../shared/registry/oci-repository.js';

/**
 * An OciRepository in memory that trusts whatever it is given. Blobs are handed back checked against their
 * digest as they stream, as the OciRepository contract asks of every store (pull relies on it rather than
 * hashing twice). `blobs` can be edited to corrupt a blob after it was stored.
 */
export class MemoryRepository implements OciRepository {
  readonly label = 'memory';
  readonly blobs = new Map<string, Buffer>();
  readonly manifests = new Map<string, ManifestBytes>();

  async hasBlob(digest: string): Promise<boolean> {
    return this.blobs.has(digest);
  }
  async putBlob(digest: string, _size: number, content: () => Readable): Promise<{ uploaded: boolean }> {
    const chunks: Buffer[] = [];
    for await (const chunk of content()) chunks.push(chunk as Buffer);
    this.blobs.set(digest, Buffer.concat(chunks));
    return { uploaded: true };
  }
  async getBlob(digest: string, size?: number): Promise<Readable> {
    const blob = this.blobs.get(digest);
    if (!blob) throw new ServiceError(this.label, `blob ${digest} is missing`);
    // Small chunks, so extraction sees many writes as it would from a network.
    const chunks: Buffer[] = [];
    for (let at = 0; at < blob.length; at += 1000) chunks.push(blob.subarray(at, at + 1000));
    const verifier = digestVerifier(
      { digest, ...(size !== undefined ? { size } : {}) },
      (mismatch) => new ServiceError(this.label, `blob ${digest} is corrupt: it ${describeMismatch(mismatch)}`),
    );
    return pipeline(Readable.from(chunks), verifier, () => undefined);
  }
  async putManifest(manifest: ManifestBytes, tag?: string): Promise<void> {
    this.manifests.set(manifest.digest, manifest);
    if (tag) this.manifests.set(tag, manifest);
  }
  async getManifest(reference: string): Promise<ManifestBytes | null> {
    return this.manifests.get(reference) ?? null;
  }
  async listTags(): Promise<string[]> {
    return [...this.manifests.keys()].filter((key) => !key.startsWith('sha256:'));
  }
  async deleteTag(tag: string): Promise<void> {
    this.manifests.delete(tag);
  }
  async referrers(): Promise<Descriptor[]> {
    return [];
  }
  async addReferrer(): Promise<void> {}
}
