// Pulling a ModelPack model from any OciRepository into a folder, safely.
//
// Everything is written into a fresh staging folder beside the target (same file system, so the final
// rename is atomic) and renamed into place only once every blob has matched its digest and every tar
// entry has passed the rules below; on any failure the staging folder is removed, so a corrupt blob or
// a hostile layer leaves nothing behind and nothing is ever written outside the target.
//
// Tar entries may be files and folders only. Links of both kinds are refused, whether or not they
// would leave the target: a model needs none, and refusing them all removes every way a later entry
// could write through one. Devices, fifos, absolute paths, `..`, backslashes and control characters
// are refused too, each with an InputError naming the layer and the entry. Files are created with
// O_EXCL, so an entry that repeats a path (in one layer or across layers) is refused, not overwritten.
// Modes are normalised: 0755 for folders and executable files, 0644 for the rest.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pipeline as pipelineCallback, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { InputError, ServiceError } from '../errors.js';
import { sha256Digest } from './blob-digest.js';
import { canonicalModelPath } from './model-file-path.js';
import {
  ANNOTATION_FILEPATH,
  isModelPackArtifactType,
  MEDIA_TYPE_MODEL_CONFIG,
  normaliseModelPackMediaType,
  parseModelLayerMediaType,
} from './modelpack-media-types.js';
import type { Descriptor, ImageManifest, ManifestBytes, OciRepository } from './oci-repository.js';

export interface PulledFile {
  /** Path in the model, `/`-separated. */
  path: string;
  size: number;
  /** Digest of the layer it came from. */
  layer: string;
}

export interface PulledModel {
  target: string;
  manifest: ImageManifest;
  /** The config as stored (parsed JSON, not validated: a model from another tool may carry more). */
  config: unknown;
  files: PulledFile[];
  /** Layers of media types this reader does not know, left out as the image spec says readers must. */
  skippedLayers: Descriptor[];
}

/** Layers downloaded and extracted at once. */
export const PULL_CONCURRENCY = 4;
const WRITE_BATCH_BYTES = 1 << 20;

export interface PullOptions {
  /** Replace a target folder that exists and is not empty (else an InputError). */
  replace?: boolean;
}

/**
 * Pulls the model whose manifest is `manifest` from `repository` into `target`, which must not exist
 * or be an empty folder (or `replace`). Verifies the manifest, config and every layer against their
 * digests. Throws ServiceError (naming the store and the layer) for a blob that is missing or corrupt,
 * InputError for a manifest that is not a ModelPack model or a layer whose content breaks the
 * extraction rules; in both cases nothing is left at `target`.
 */
export async function pullModelPackage(
  repository: OciRepository,
  manifest: ManifestBytes,
  target: string,
  options: PullOptions = {},
): Promise<PulledModel> {
  if (sha256Digest(manifest.bytes) !== manifest.digest)
    throw new ServiceError(
      repository.label,
      `manifest ${manifest.digest} is corrupt: its bytes have digest ${sha256Digest(manifest.bytes)}`,
    );
  const parsed = parseManifest(manifest);
  const destination = resolve(target);
  const existing = await stat(destination).catch(() => null);
  if (existing && !existing.isDirectory()) throw new InputError(`cannot pull into ${target}: it exists and is not a folder`);
  if (existing && !options.replace && (await readdir(destination)).length > 0)
    throw new InputError(`cannot pull into ${target}: the folder is not empty (pull into a new folder, or replace it)`);

  await mkdir(dirname(destination), { recursive: true });
  const staging = join(dirname(destination), `.${basename(destination)}.pull-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    const config = parseConfig(await readBlob(repository, parsed.config), manifest.digest);
    const skippedLayers = parsed.layers.filter((layer) => !parseModelLayerMediaType(layer.mediaType));
    const filesOfLayer: PulledFile[][] = [];
    // Up to PULL_CONCURRENCY layers at once. The first failure stops the others (their streams are
    // destroyed) and is the one reported, once every layer has stopped writing into the staging folder.
    let next = 0;
    let failure: { error: unknown } | undefined;
    const active = new Set<Readable>();
    const pullLayer = async (index: number): Promise<void> => {
      const layer = parsed.layers[index]!;
      const kind = parseModelLayerMediaType(layer.mediaType);
      if (!kind) return;
      const what = `layer ${index + 1} (${layer.annotations?.[ANNOTATION_FILEPATH] ?? layer.digest})`;
      try {
        const content = await verifiedBlob(repository, layer);
        if (failure) return void content.destroy();
        active.add(content);
        try {
          if (kind.format === 'raw') filesOfLayer[index] = [await writeRawLayer(content, layer, what, staging)];
          else filesOfLayer[index] = await extractTarLayer(decompress(content, kind.format, what), layer, what, staging);
        } finally {
          active.delete(content);
        }
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const detail = error.message.slice(error.service.length + 2);
        throw new ServiceError(error.service, `${detail.startsWith(what) ? '' : `${what}: `}${detail}; nothing was extracted`, {
          cause: error,
        });
      }
    };
    const worker = async (): Promise<void> => {
      while (!failure && next < parsed.layers.length) {
        try {
          await pullLayer(next++);
        } catch (error) {
          if (failure) continue;
          failure = { error };
          for (const content of active) content.destroy(new Error('stopped: another layer failed'));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PULL_CONCURRENCY, parsed.layers.length) }, () => worker()));
    if (failure) throw failure.error;
    const files = filesOfLayer.flat();
    await chmod(staging, 0o755);
    if (existing) {
      const aside = `${staging}.old`;
      await rename(destination, aside);
      await rename(staging, destination).catch(async (error: unknown) => {
        await rename(aside, destination);
        throw error;
      });
      await rm(aside, { recursive: true, force: true });
    } else await rename(staging, destination);
    return { target: destination, manifest: parsed, config, files, skippedLayers };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function parseConfig(bytes: Buffer, manifestDigest: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new InputError(`the config of manifest ${manifestDigest} is not JSON: ${(error as Error).message}`);
  }
}

function parseManifest(manifest: ManifestBytes): ImageManifest {
  let parsed: ImageManifest;
  try {
    parsed = JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest;
  } catch (error) {
    throw new InputError(`manifest ${manifest.digest} is not JSON: ${(error as Error).message}`);
  }
  const isModel =
    isModelPackArtifactType(parsed?.artifactType) ||
    normaliseModelPackMediaType(parsed?.config?.mediaType ?? '') === MEDIA_TYPE_MODEL_CONFIG;
  if (!isModel || !Array.isArray(parsed.layers))
    throw new InputError(
      `manifest ${manifest.digest} is not a ModelPack model (artifactType ${parsed?.artifactType ?? 'none'}, config ${parsed?.config?.mediaType ?? 'none'})`,
    );
  return parsed;
}

/**
 * The blob's stream. Every OciRepository checks a blob against its digest and size as it streams (the
 * contract in oci-repository.ts; both stores hash what they hand over), so it is hashed once, there: a
 * mismatch errors the stream at its end, before the staging folder is renamed into place.
 */
async function verifiedBlob(repository: OciRepository, descriptor: Descriptor): Promise<Readable> {
  return repository.getBlob(descriptor.digest, descriptor.size);
}

async function readBlob(repository: OciRepository, descriptor: Descriptor): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await verifiedBlob(repository, descriptor)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decompress(content: Readable, format: string, what: string): Readable {
  if (format === 'tar') return content;
  if (format === 'tar+gzip') return pipelineCallback(content, zlib.createGunzip(), () => undefined);
  // zstd arrived in Node 22.15; tests run on 20, the actions on 24.
  const createZstd = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  if (!createZstd) {
    content.destroy();
    throw new InputError(`${what} is compressed with zstd, which needs Node 22.15 or later`);
  }
  return pipelineCallback(content, createZstd(), () => undefined);
}

/** The staging path of a model path; the check that it stays inside is belt and braces after canonicalModelPath. */
function stagingPath(staging: string, path: string): string {
  const full = join(staging, ...path.split('/'));
  if (!full.startsWith(staging + sep)) throw new Error(`${path} resolved outside the staging folder`);
  return full;
}

async function writeRawLayer(content: Readable, layer: Descriptor, what: string, staging: string): Promise<PulledFile> {
  const annotated = layer.annotations?.[ANNOTATION_FILEPATH];
  if (annotated === undefined)
    throw new InputError(`${what} is a raw layer without the ${ANNOTATION_FILEPATH} annotation: there is no name to give it`);
  const canonical = canonicalModelPath(annotated);
  if ('problem' in canonical || canonical.path === '')
    throw new InputError(
      `${what}: its ${ANNOTATION_FILEPATH} ${JSON.stringify(annotated)} ${'problem' in canonical ? canonical.problem : 'names no file'}; nothing was written`,
    );
  const path = stagingPath(staging, canonical.path);
  await makeFolders(staging, dirname(canonical.path), what);
  await pipeline(content, createWriteStream(path, { flags: 'wx', mode: 0o644 })).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new InputError(`${what}: ${canonical.path} is written by another layer too`);
    throw error;
  });
  return { path: canonical.path, size: layer.size, layer: layer.digest };
}

/** Creates the folders of `path` (relative, canonical) inside staging; a file in the way is an InputError. */
async function makeFolders(staging: string, path: string, what: string): Promise<void> {
  if (path === '.' || path === '') return;
  await mkdir(stagingPath(staging, path), { recursive: true, mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ENOTDIR') throw new InputError(`${what}: the folder ${path} is a file in the model too`);
    throw error;
  });
}

async function extractTarLayer(content: Readable, layer: Descriptor, what: string, staging: string): Promise<PulledFile[]> {
  const files: PulledFile[] = [];
  const tar = extract();
  // The blob's own error (a digest mismatch found at its end) is the one to report: the tar parser,
  // destroyed by it, only says "Stream was destroyed".
  let contentError: unknown;
  content.on('error', (error) => {
    contentError ??= error;
    tar.destroy(error);
  });
  content.pipe(tar as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of tar) {
      const file = await extractEntry(entry as AsyncIterable<Buffer>, entry.header, what, staging);
      if (file) files.push({ ...file, layer: layer.digest });
    }
  } catch (error) {
    content.destroy();
    const cause = contentError ?? error;
    if (cause instanceof InputError || cause instanceof ServiceError) throw cause;
    // tar-stream's own complaints (truncated archive, bad header) are about the layer's content.
    throw new InputError(`${what} is not a valid tar archive: ${(cause as Error).message}`);
  }
  if (contentError) throw contentError;
  return files;
}

async function extractEntry(
  entry: AsyncIterable<Buffer>,
  header: Header,
  what: string,
  staging: string,
): Promise<Omit<PulledFile, 'layer'> | null> {
  const where = `${what}, entry ${JSON.stringify(header.name)}`;
  if (header.type === 'symlink' || header.type === 'link')
    throw new InputError(
      `${where} is a ${header.type === 'link' ? 'hard' : 'symbolic'} link to ${JSON.stringify(header.linkname)}: links are refused; nothing was written`,
    );
  if (header.type !== 'file' && header.type !== 'contiguous-file' && header.type !== 'directory')
    throw new InputError(`${where} is a ${header.type}: only files and folders are extracted; nothing was written`);
  const canonical = canonicalModelPath(header.name);
  if ('problem' in canonical) throw new InputError(`${where} ${canonical.problem}: refused; nothing was written`);
  if (header.type === 'directory') {
    await makeFolders(staging, canonical.path, where);
    for await (const chunk of entry) void chunk; // folders carry no data; drain what a hostile one might
    return null;
  }
  if (canonical.path === '') throw new InputError(`${where} names the model folder itself, not a file`);
  await makeFolders(staging, dirname(canonical.path), where);
  const handle = await open(stagingPath(staging, canonical.path), 'wx', header.mode & 0o111 ? 0o755 : 0o644).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new InputError(`${where}: ${canonical.path} appears twice in the model`);
      if (error.code === 'ENOTDIR') throw new InputError(`${where}: a folder on its path is a file in the model`);
      throw error;
    },
  );
  let size = 0;
  try {
    // Chunks (about 64 KiB each, as they come off the socket) are written a batch at a time, one writev per
    // WRITE_BATCH_BYTES: a write per chunk cost a thread-pool round trip each.
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for await (const chunk of entry) {
      size += chunk.length;
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) {
        await handle.writev(batch);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) await handle.writev(batch);
  } finally {
    await handle.close();
  }
  return { path: canonical.path, size };
}
