import type { Readable } from 'node:stream';

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string; // sha256:<64 hex>
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** An OCI image manifest as we write and read it (ModelPack models and lineage referrers). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType: 'application/vnd.oci.image.manifest.v1+json';
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index: index.json of a layout, a referrers answer, or a tag-schema referrers index. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType: 'application/vnd.oci.image.index.v1+json';
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** A manifest's exact bytes (digests are over these bytes, never over a re-serialisation). */
export interface ManifestBytes {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

/**
 * One repository (`name`) in an OCI store: an image layout folder on disk or a distribution registry
 * over HTTP. Everything register, pull, promote, rollback and the resolver do goes through this, so
 * both stores behave the same and are tested the same way.
 *
 * Contract for implementations:
 * - `putBlob` checks the streamed bytes against `digest` and `size` before the blob becomes visible
 *   (a layout writes a temp file and renames; a registry verifies on its side and we check the answer).
 * - `getBlob` returns a stream that errors (ServiceError naming the digest) if the bytes do not match.
 * - `putManifest` stores the exact bytes; with `tag` it also points the tag there (atomic replace).
 * - `getManifest` verifies the bytes against the digest (of the reference when it is a digest).
 * - `referrers` lists manifests whose `subject` is `digest` (referrers API, else the tag schema
 *   `sha256-<hex>` index); `addReferrer` records a pushed referrer where the store needs it (the tag
 *   schema fallback; a layout keeps referrers in index.json without a ref name).
 * - Every network call has a timeout; failures are ServiceError naming the store and what was tried.
 */
export interface OciRepository {
  /** For messages: `.mlops/registry/iris` or `oci://127.0.0.1:5000/team/iris`. */
  readonly label: string;
  hasBlob(digest: string): Promise<boolean>;
  putBlob(digest: string, size: number, content: () => Readable): Promise<{ uploaded: boolean }>;
  getBlob(digest: string, size?: number): Promise<Readable>;
  putManifest(manifest: ManifestBytes, tag?: string): Promise<void>;
  /** null when the tag or digest does not exist. */
  getManifest(reference: string): Promise<ManifestBytes | null>;
  listTags(): Promise<string[]>;
  deleteTag(tag: string): Promise<void>;
  referrers(digest: string, artifactType?: string): Promise<Descriptor[]>;
  addReferrer(subject: Descriptor, referrer: Descriptor): Promise<void>;
}

export const MEDIA_TYPE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_EMPTY = 'application/vnd.oci.empty.v1+json';
/** The OCI empty config `{}`: its digest and size are fixed by the image spec. */
export const EMPTY_CONFIG: Descriptor = {
  mediaType: MEDIA_TYPE_EMPTY,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};
