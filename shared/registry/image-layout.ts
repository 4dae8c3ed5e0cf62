// An OCI image layout folder (image-spec image-layout.md) as an OciRepository.
//
// One layout per repository name: `.mlops/registry/<name>/` holds `oci-layout`, `index.json` and
// `blobs/sha256/`, so `skopeo … oci:.mlops/registry/<name>:<tag>` reads a version directly and each
// model's blobs can be copied or collected on their own. Tags are the `org.opencontainers.image.ref.name`
// annotation of index.json entries, unique (re-tagging replaces the entry). Every manifest ever put stays
// in index.json (untagged when no tag points at it: old versions, referrers), so it stays reachable.
//
// Writes: blobs go to `.partial/` and are renamed into `blobs/sha256/` once their digest and size are
// checked; index.json is rewritten atomically (temp + rename) under a lock file (`index.json.lock`), so
// readers never see half an index and concurrent writers never lose each other's entries.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline as pipelineCallback, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../atomic-write.js';
import { ServiceError } from '../errors.js';
import { withLockFile } from '../lock-file.js';
import { describeMismatch, digestVerifier, sha256Digest } from './blob-digest.js';
import {
  type Descriptor,
  type ImageIndex,
  type ManifestBytes,
  MEDIA_TYPE_INDEX,
  MEDIA_TYPE_MANIFEST,
  type OciRepository,
} from './oci-repository.js';
import { checkRepositoryName, checkTag, isDigest, sha256Hex } from './registry-reference.js';

export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
const OCI_LAYOUT = '{"imageLayoutVersion":"1.0.0"}';

export interface GarbageCollection {
  /** Digests of the blobs removed. */
  removed: string[];
  freedBytes: number;
}

/** The parts of a manifest or index the layout needs to follow references. */
interface ManifestLinks {
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export class ImageLayoutRepository implements OciRepository {
  /**
   * The layout of repository `name` under `registryDir` (`.mlops/registry`); InputError for a name the
   * OCI distribution grammar refuses, so a layout can always be pushed to a registry under the same name.
   */
  static open(registryDir: string, name: string): ImageLayoutRepository {
    checkRepositoryName(name);
    return new ImageLayoutRepository(join(registryDir, ...name.split('/')), `${registryDir.replace(/\/+$/, '')}/${name}`);
  }

  constructor(
    /** The layout folder. It is created on the first write. */
    readonly dir: string,
    readonly label: string = dir,
  ) {}

  private blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', sha256Hex(digest));
  }

  private async ensureLayout(): Promise<void> {
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    await mkdir(join(this.dir, '.partial'), { recursive: true });
    const layoutFile = join(this.dir, 'oci-layout');
    if ((await readFile(layoutFile, 'utf8').catch(() => null)) === null) await writeFileAtomic(layoutFile, OCI_LAYOUT);
  }

  async hasBlob(digest: string): Promise<boolean> {
    return (await stat(this.blobPath(digest)).catch(() => null))?.isFile() ?? false;
  }

  /** Streams `content()` into a temp file, checks digest and size, then renames it into place. */
  async putBlob(digest: string, size: number, content: () => Readable): Promise<{ uploaded: boolean }> {
    const path = this.blobPath(digest);
    const existing = await stat(path).catch(() => null);
    if (existing?.size === size) {
      // A blob about to be referenced again must not look old to a garbage collection running meanwhile.
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return { uploaded: false };
    }
    await this.ensureLayout();
    const temp = join(this.dir, '.partial', `${sha256Hex(digest)}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      const verifier = digestVerifier(
        { digest, size },
        (mismatch) => new ServiceError(this.label, `blob ${digest} ${describeMismatch(mismatch)}: not stored`),
      );
      await pipeline(content(), verifier, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { uploaded: true };
  }

  /** The blob's bytes; the stream fails with a ServiceError naming the digest if they do not match it. */
  async getBlob(digest: string, size?: number): Promise<Readable> {
    const path = this.blobPath(digest);
    const info = await stat(path).catch(() => null);
    if (!info) throw new ServiceError(this.label, `blob ${digest} is not in the layout`);
    if (size !== undefined && info.size !== size)
      throw new ServiceError(this.label, `blob ${digest} has ${info.size} bytes, expected ${size}: it is corrupt`);
    const verifier = digestVerifier(
      { digest, size: info.size },
      (mismatch) => new ServiceError(this.label, `blob ${digest} is corrupt: it ${describeMismatch(mismatch)}`),
    );
    return pipelineCallback(createReadStream(path, { highWaterMark: 1 << 20 }), verifier, () => undefined);
  }

  private async readVerified(digest: string): Promise<Buffer | null> {
    const bytes = await readFile(this.blobPath(digest)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (bytes && sha256Digest(bytes) !== digest)
      throw new ServiceError(this.label, `blob ${digest} is corrupt: its bytes have digest ${sha256Digest(bytes)}`);
    return bytes;
  }

  /** index.json, or an empty index when the layout has none yet. */
  async readIndex(): Promise<ImageIndex> {
    const path = join(this.dir, 'index.json');
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) return { schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: [] };
    let index: ImageIndex;
    try {
      index = JSON.parse(text) as ImageIndex;
    } catch (error) {
      throw new ServiceError(this.label, `index.json is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(index?.manifests)) throw new ServiceError(this.label, 'index.json has no manifests list');
    return index;
  }

  /** Read-modify-write of index.json under the layout's lock. */
  private async updateIndex(change: (manifests: Descriptor[]) => Descriptor[]): Promise<void> {
    await this.ensureLayout();
    await withLockFile(
      join(this.dir, 'index.json.lock'),
      async () => {
        const index = await this.readIndex();
        const manifests = change(index.manifests);
        const next: ImageIndex = { ...index, schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests };
        await writeFileAtomic(join(this.dir, 'index.json'), `${JSON.stringify(next, null, 2)}\n`);
      },
      { what: this.label },
    );
  }

  /** Stores the manifest blob, then records it in index.json (under `tag` when given; a tag moves). */
  async putManifest(manifest: ManifestBytes, tag?: string): Promise<void> {
    if (tag !== undefined) checkTag(tag);
    if (sha256Digest(manifest.bytes) !== manifest.digest)
      throw new ServiceError(this.label, `the manifest given as ${manifest.digest} has digest ${sha256Digest(manifest.bytes)}: not stored`);
    const links = parseLinks(manifest.bytes, manifest.digest, this.label);
    await this.putBlob(manifest.digest, manifest.bytes.length, () => Readable.from([manifest.bytes]));
    const entry: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    if (links.artifactType) entry.artifactType = links.artifactType;
    await this.updateIndex((manifests) => (tag === undefined ? withEntry(manifests, entry) : withTag(manifests, entry, tag)));
  }

  async getManifest(reference: string): Promise<ManifestBytes | null> {
    let digest = reference;
    let mediaType: string | undefined;
    if (!isDigest(reference)) {
      checkTag(reference);
      const entry = (await this.readIndex()).manifests.find((m) => m.annotations?.[ANNOTATION_REF_NAME] === reference);
      if (!entry) return null;
      ({ digest, mediaType } = entry);
    }
    const bytes = await this.readVerified(digest);
    if (!bytes) {
      if (digest !== reference) throw new ServiceError(this.label, `tag ${reference} points at ${digest}, which is not in the layout`);
      return null;
    }
    return { mediaType: parseLinks(bytes, digest, this.label).mediaType ?? mediaType ?? MEDIA_TYPE_MANIFEST, digest, bytes };
  }

  async listTags(): Promise<string[]> {
    const tags = (await this.readIndex()).manifests.map((m) => m.annotations?.[ANNOTATION_REF_NAME]).filter((t) => t !== undefined);
    return [...new Set(tags)].sort();
  }

  /** Removes the tag (a no-op when it does not exist); the manifest stays in the layout, untagged. */
  async deleteTag(tag: string): Promise<void> {
    checkTag(tag);
    await this.updateIndex((manifests) => {
      const removed = manifests.filter((m) => m.annotations?.[ANNOTATION_REF_NAME] === tag);
      return removed.reduce(
        keepReachable,
        manifests.filter((m) => m.annotations?.[ANNOTATION_REF_NAME] !== tag),
      );
    });
  }

  /** Manifests in index.json whose subject is `digest`, as the referrers API lists them. */
  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    const found: Descriptor[] = [];
    const seen = new Set<string>();
    for (const entry of (await this.readIndex()).manifests) {
      if (seen.has(entry.digest)) continue;
      seen.add(entry.digest);
      const bytes = await this.readVerified(entry.digest);
      if (!bytes) continue;
      const links = parseLinks(bytes, entry.digest, this.label);
      if (links.subject?.digest !== digest) continue;
      const type = links.artifactType ?? links.config?.mediaType;
      if (artifactType !== undefined && type !== artifactType) continue;
      const descriptor: Descriptor = { mediaType: links.mediaType ?? entry.mediaType, digest: entry.digest, size: bytes.length };
      if (type) descriptor.artifactType = type;
      if (links.annotations) descriptor.annotations = links.annotations;
      found.push(descriptor);
    }
    return found;
  }

  /** A layout finds referrers by scanning index.json: this only makes sure the referrer is listed there. */
  async addReferrer(_subject: Descriptor, referrer: Descriptor): Promise<void> {
    if (!(await this.hasBlob(referrer.digest)))
      throw new ServiceError(this.label, `referrer ${referrer.digest} is not in the layout: push it first`);
    const entry: Descriptor = { mediaType: referrer.mediaType, digest: referrer.digest, size: referrer.size };
    if (referrer.artifactType) entry.artifactType = referrer.artifactType;
    await this.updateIndex((manifests) => withEntry(manifests, entry));
  }

  /**
   * Removes blobs that no manifest listed in index.json reaches (following configs, layers, subjects and
   * nested indexes), and abandoned partial uploads. Blobs younger than `graceMs` stay: a push writes its
   * blobs before the manifest that references them.
   */
  async garbageCollect(options: { graceMs?: number } = {}): Promise<GarbageCollection> {
    const { graceMs = 10 * 60_000 } = options;
    const result: GarbageCollection = { removed: [], freedBytes: 0 };
    if (!(await stat(join(this.dir, 'blobs', 'sha256')).catch(() => null))) return result;
    await this.ensureLayout();
    const cutoff = Date.now() - graceMs;
    await withLockFile(
      join(this.dir, 'index.json.lock'),
      async () => {
        const reachable = new Set<string>();
        const visit = async (descriptor: Descriptor): Promise<void> => {
          if (reachable.has(descriptor.digest) || !isDigest(descriptor.digest)) return;
          reachable.add(descriptor.digest);
          if (descriptor.mediaType !== MEDIA_TYPE_MANIFEST && descriptor.mediaType !== MEDIA_TYPE_INDEX) return;
          const bytes = await readFile(this.blobPath(descriptor.digest)).catch(() => null);
          if (!bytes) return;
          const links = parseLinks(bytes, descriptor.digest, this.label);
          for (const child of [links.config, links.subject, ...(links.layers ?? []), ...(links.manifests ?? [])])
            if (child?.digest) await visit(child);
        };
        for (const entry of (await this.readIndex()).manifests) await visit(entry);
        const blobs = join(this.dir, 'blobs', 'sha256');
        for (const name of await readdir(blobs)) {
          const digest = `sha256:${name}`;
          if (reachable.has(digest)) continue;
          const info = await stat(join(blobs, name)).catch(() => null);
          if (!info?.isFile() || info.mtimeMs > cutoff) continue;
          await unlink(join(blobs, name));
          result.removed.push(digest);
          result.freedBytes += info.size;
        }
        for (const name of await readdir(join(this.dir, '.partial'))) {
          const info = await stat(join(this.dir, '.partial', name)).catch(() => null);
          if (info && info.mtimeMs <= cutoff) await rm(join(this.dir, '.partial', name), { force: true });
        }
      },
      { what: this.label },
    );
    return result;
  }
}

function parseLinks(bytes: Buffer, digest: string, label: string): ManifestLinks {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as ManifestLinks;
  } catch (error) {
    throw new ServiceError(label, `manifest ${digest} is not a JSON object: ${(error as Error).message}`);
  }
}

/** `manifests` with `entry` listed (untagged) unless some entry already lists its digest. */
function withEntry(manifests: Descriptor[], entry: Descriptor): Descriptor[] {
  return manifests.some((m) => m.digest === entry.digest) ? manifests : [...manifests, entry];
}

/** Points `tag` at `entry`: the tag's previous entry goes (its manifest stays listed), as does an untagged duplicate. */
function withTag(manifests: Descriptor[], entry: Descriptor, tag: string): Descriptor[] {
  const previous = manifests.filter((m) => m.annotations?.[ANNOTATION_REF_NAME] === tag);
  const rest = manifests.filter(
    (m) => m.annotations?.[ANNOTATION_REF_NAME] !== tag && !(m.digest === entry.digest && !m.annotations?.[ANNOTATION_REF_NAME]),
  );
  return previous.reduce(keepReachable, [...rest, { ...entry, annotations: { [ANNOTATION_REF_NAME]: tag } }]);
}

/** Keeps a manifest whose entry was removed listed (untagged) unless another entry lists it. */
function keepReachable(manifests: Descriptor[], removed: Descriptor): Descriptor[] {
  if (manifests.some((m) => m.digest === removed.digest)) return manifests;
  const entry: Descriptor = { mediaType: removed.mediaType, digest: removed.digest, size: removed.size };
  if (removed.artifactType) entry.artifactType = removed.artifactType;
  return [...manifests, entry];
}
