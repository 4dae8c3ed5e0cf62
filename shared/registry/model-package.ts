// A model (a file or a folder) as a CNCF ModelPack artifact: manifest, config and one layer per file.
//
// Choices, so that any OCI tool reads what we write and the same inputs give the same digest anywhere:
// - One layer per file, each an uncompressed tar holding that one file under its path in the model
//   (`application/vnd.cncf.model.<kind>.v1.tar`). Tar rather than raw because KitOps before the release
//   that reads raw layers unpacks only tar; uncompressed because weights do not compress and the spec
//   advises against it. One file per layer also means an unchanged file is an unchanged blob across
//   versions, and every layer can carry `org.cncf.model.filepath` and the file's metadata.
// - Kind from the file name: weights (known weight extensions, and anything unrecognised, flagged with
//   `org.cncf.model.file.mediatype.untested: "true"`), weight config (json, yaml, tokenizer files),
//   datasets (csv, parquet, jsonl), code (py, js, …, requirements), docs (README*, LICENSE*, *.md).
//   Layers are ordered weight, weight.config, dataset, code, doc, then by path (byte order).
// - Tar entries: mtime = the package time, uid/gid 0, no user or group names, mode 0644 (0755 when the
//   file is executable on disk), no parent-folder entries (extractors create them, 0755).
// - The package time: SOURCE_DATE_EPOCH, else the commit time passed in, else the Unix epoch; it is the
//   config's createdAt, `org.opencontainers.image.created` and every file's mtime.
// - Dot files and folders (.git, .DS_Store, .gitattributes) are left out; symbolic links to files are
//   followed, links to folders refused.
// - Own manifest annotations live under `io.github.mlops-actions.`: `name` (the repository name) and
//   `format` (config.format, readable from a listing without fetching the config). Run ids and URLs
//   never go in here: they change every run and belong to the lineage referrers.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { InputError } from '../errors.js';
import { assertModelPackConfig, type ModelPackConfig } from '../schemas/modelpack-config.js';
import { sha256Digest } from './blob-digest.js';
import { canonicalModelPath } from './model-file-path.js';
import {
  ANNOTATION_FILE_METADATA,
  ANNOTATION_FILEPATH,
  ANNOTATION_MEDIA_TYPE_UNTESTED,
  ARTIFACT_TYPE_MODEL_MANIFEST,
  type LayerKind,
  MEDIA_TYPE_MODEL_CONFIG,
  modelLayerMediaType,
} from './modelpack-media-types.js';
import { type Descriptor, type ImageManifest, type ManifestBytes, MEDIA_TYPE_MANIFEST, type OciRepository } from './oci-repository.js';

/** Our namespace for manifest annotations. */
export const ANNOTATION_PREFIX = 'io.github.mlops-actions.';
export const ANNOTATION_NAME = `${ANNOTATION_PREFIX}name`;
export const ANNOTATION_FORMAT = `${ANNOTATION_PREFIX}format`;

/** What is known about the model besides its files. Only `name` is required. */
export interface ModelPackageMeta {
  /** The repository name (config descriptor.name). */
  name: string;
  /** The version tag being registered. */
  version?: string;
  /** The commit the model was built from. */
  revision?: string;
  /** The commit's time: every timestamp when SOURCE_DATE_EPOCH is unset. */
  commitTime?: Date | string;
  /** The source repository's URL (not a run's). */
  sourceUrl?: string;
  title?: string;
  description?: string;
  authors?: string[];
  vendor?: string;
  family?: string;
  /** SPDX license expressions. */
  licenses?: string[];
  docUrl?: string;
  datasetsUrls?: string[];
  /** onnx, pt, safetensors, joblib, …; overrides what the file names say. */
  format?: string;
  architecture?: string;
  paramSize?: string;
  precision?: string;
  quantization?: string;
  /** Extra manifest annotations; keys must start with `io.github.mlops-actions.`. */
  annotations?: Record<string, string>;
}

export interface ModelPackageLayer {
  descriptor: Descriptor;
  kind: LayerKind;
  /** The file's path in the model (the filepath annotation). */
  filepath: string;
  /** The file on disk. */
  source: string;
  /** A fresh stream of the layer's bytes (the tar), read from disk on demand. */
  content(): Readable;
}

export interface ModelPackage {
  /** Set when built with `pushTo`: the layers' uploads to that repository, started while the next files were hashed. */
  early?: { repository: OciRepository; uploads: Map<string, Promise<{ uploaded: boolean }>> };
  manifest: ManifestBytes;
  manifestJson: ImageManifest;
  config: { descriptor: Descriptor; bytes: Buffer; json: ModelPackConfig };
  layers: ModelPackageLayer[];
  /** RFC 3339: the package time. */
  created: string;
}

const FORMAT_OF_EXTENSION: Record<string, string> = {
  '.onnx': 'onnx',
  '.pt': 'pt',
  '.pth': 'pt',
  '.safetensors': 'safetensors',
  '.gguf': 'gguf',
  '.ggml': 'ggml',
  '.joblib': 'joblib',
  '.pkl': 'pkl',
  '.pickle': 'pkl',
  '.keras': 'keras',
  '.h5': 'h5',
  '.hdf5': 'h5',
  '.tflite': 'tflite',
  '.pb': 'tensorflow',
  '.mlmodel': 'coreml',
  '.ckpt': 'ckpt',
};
// Weight files that say nothing about the format (ONNX external data, PyTorch .bin shards, arrays).
const OTHER_WEIGHT_EXTENSIONS = new Set([
  '.data',
  '.bin',
  '.npz',
  '.npy',
  '.params',
  '.msgpack',
  '.ot',
  '.engine',
  '.plan',
  '.ubj',
  '.cbm',
]);
const WEIGHT_CONFIG_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.toml', '.txt', '.tiktoken', '.vocab', '.spm']);
const DATASET_EXTENSIONS = new Set(['.csv', '.tsv', '.parquet', '.jsonl', '.ndjson', '.arrow', '.feather']);
const CODE_EXTENSIONS = new Set([
  '.py',
  '.ipynb',
  '.js',
  '.mjs',
  '.cjs',
  '.ts',
  '.sh',
  '.r',
  '.jl',
  '.lua',
  '.java',
  '.go',
  '.rs',
  '.c',
  '.cc',
  '.cpp',
  '.h',
  '.hpp',
]);
const CODE_NAMES = /^(requirements.*\.txt|pyproject\.toml|setup\.cfg|pipfile(\.lock)?|dockerfile|makefile|package(-lock)?\.json)$/i;
const DOC_NAMES = /^(readme|license|licence|notice|copying|changelog|authors|model[-_]?card)(\..*)?$/i;
const DOC_EXTENSIONS = new Set(['.md', '.rst', '.adoc']);
const READ_BUFFER_BYTES = 1 << 20;
const KIND_ORDER: LayerKind[] = ['weight', 'weight.config', 'dataset', 'code', 'doc'];

/** The extension of a file name, lower case, with its dot (`model.onnx.data` → `.data`). */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** The layer kind of a file, and whether that was a guess. */
export function layerKindOf(filepath: string): { kind: LayerKind; guessed: boolean } {
  const name = basename(filepath);
  const extension = extensionOf(name);
  if (FORMAT_OF_EXTENSION[extension] || OTHER_WEIGHT_EXTENSIONS.has(extension)) return { kind: 'weight', guessed: false };
  if (DOC_NAMES.test(name) || DOC_EXTENSIONS.has(extension)) return { kind: 'doc', guessed: false };
  if (CODE_NAMES.test(name) || CODE_EXTENSIONS.has(extension)) return { kind: 'code', guessed: false };
  if (DATASET_EXTENSIONS.has(extension)) return { kind: 'dataset', guessed: false };
  if (WEIGHT_CONFIG_EXTENSIONS.has(extension)) return { kind: 'weight.config', guessed: false };
  return { kind: 'weight', guessed: true };
}

/** The model format the weight files' names show (`onnx` for model.onnx + model.onnx.data), or undefined. */
export function detectModelFormat(filepaths: string[]): string | undefined {
  const formats = new Set(filepaths.map((path) => FORMAT_OF_EXTENSION[extensionOf(basename(path))]).filter((f) => f !== undefined));
  if (formats.size > 1)
    throw new InputError(
      `the model holds weights of several formats (${[...formats].sort().join(', ')}): set \`format\` to say which one it is`,
    );
  return [...formats][0];
}

/**
 * The package time: SOURCE_DATE_EPOCH (seconds) when set, else the commit time, else the Unix epoch.
 * Whole seconds, since tar keeps no more.
 */
export function packageTime(sourceDateEpoch: string | undefined, commitTime?: Date | string): Date {
  if (sourceDateEpoch !== undefined && sourceDateEpoch.trim() !== '') {
    if (!/^\d+$/.test(sourceDateEpoch.trim()))
      throw new InputError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got '${sourceDateEpoch}'`);
    return new Date(Number(sourceDateEpoch.trim()) * 1000);
  }
  if (commitTime !== undefined) {
    const time = commitTime instanceof Date ? commitTime : new Date(commitTime);
    if (Number.isNaN(time.getTime())) throw new InputError(`the commit time '${String(commitTime)}' is not a date`);
    return new Date(Math.floor(time.getTime() / 1000) * 1000);
  }
  return new Date(0);
}

/** RFC 3339 without fractions (`2026-12-01T10:00:00Z`), as Go writes a whole-second time. */
function rfc3339(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface ModelFile {
  filepath: string;
  source: string;
  size: number;
  executable: boolean;
}

/** Every file of the model, sorted by path in byte order. */
async function listModelFiles(modelPath: string): Promise<ModelFile[]> {
  const root = resolve(modelPath);
  const top = await stat(root).catch(() => null);
  if (!top) throw new InputError(`the model path ${modelPath} does not exist`);
  const files: ModelFile[] = [];
  const add = (filepath: string, source: string, info: { size: number; mode: number }): void => {
    const canonical = canonicalModelPath(filepath);
    if ('problem' in canonical || canonical.path !== filepath)
      throw new InputError(
        `the model file ${JSON.stringify(filepath)} cannot be packaged: its name ${'problem' in canonical ? canonical.problem : 'is not canonical'}`,
      );
    files.push({ filepath, source, size: info.size, executable: (info.mode & 0o111) !== 0 });
  };
  if (top.isFile()) add(basename(root), root, top);
  else if (top.isDirectory()) {
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const source = join(dir, entry.name);
        const filepath = prefix + entry.name;
        if (entry.isDirectory()) await walk(source, `${filepath}/`);
        else if (entry.isFile()) add(filepath, source, await stat(source));
        else if (entry.isSymbolicLink()) {
          const target = await stat(source).catch(() => null);
          if (!target?.isFile())
            throw new InputError(
              `the model file ${filepath} is a symbolic link to ${target ? 'a folder' : 'nothing'}: only links to files are followed`,
            );
          add(filepath, await realpath(source), target);
        } else throw new InputError(`the model file ${filepath} is not a regular file (a socket, fifo or device)`);
      }
    };
    await walk(root, '');
  } else throw new InputError(`the model path ${modelPath} is neither a file nor a folder`);
  if (files.length === 0) throw new InputError(`the model folder ${modelPath} holds no files`);
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.filepath), Buffer.from(b.filepath)));
}

/**
 * A tar of one file, streamed from disk: header, the file's bytes, padding, end marker. Errors if the
 * file's size changed since it was listed, so a changing file can never yield a layer with a wrong size.
 */
function tarOfFile(file: ModelFile, mode: number, mtime: Date): Readable {
  const archive = pack();
  const entry = archive.entry({ name: file.filepath, size: file.size, mode, mtime, uid: 0, gid: 0, type: 'file' }, (error) => {
    if (error) archive.destroy(error);
    else archive.finalize();
  });
  const feed = async (): Promise<void> => {
    let written = 0;
    for await (const chunk of createReadStream(file.source, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      written += chunk.length;
      if (written > file.size) throw new InputError(`the model file ${file.filepath} grew while it was being packaged`);
      if (!entry.write(chunk)) await new Promise<void>((done) => entry.once('drain', () => done()));
    }
    if (written !== file.size) throw new InputError(`the model file ${file.filepath} shrank while it was being packaged`);
    entry.end(null);
  };
  feed().catch((error: Error) => archive.destroy(error));
  return Readable.from(archive, { objectMode: false });
}

/**
 * The tar bytes around a file's data, as tarOfFile writes them: tar-stream's header (a pax header before it
 * when the name needs one), and after the data, padding to a 512-byte block and the 1024-byte end marker.
 * The header is what the packer emits before the first data chunk it is given (the same Buffer object).
 */
async function tarFraming(file: ModelFile, mode: number, mtime: Date): Promise<{ prefix: Buffer; suffix: Buffer }> {
  const archive = pack();
  const entry = archive.entry({ name: file.filepath, size: file.size, mode, mtime, uid: 0, gid: 0, type: 'file' });
  const sentinel = Buffer.alloc(1);
  entry.write(sentinel);
  const prefix: Buffer[] = [];
  let seen = false;
  for await (const chunk of archive as AsyncIterable<Buffer>) {
    if (chunk === sentinel) {
      seen = true;
      break;
    }
    prefix.push(chunk);
  }
  archive.destroy();
  if (!seen) throw new Error(`tar-stream emitted no data for ${file.filepath}`);
  return { prefix: Buffer.concat(prefix), suffix: Buffer.alloc(((512 - (file.size % 512)) % 512) + 1024) };
}

/**
 * The digest and size of a file's layer (the tar tarOfFile streams), computed without building the tar:
 * the file is read into one reused buffer rather than a fresh buffer per chunk, which costs a page fault
 * per 4 KiB of file on a virtual machine and made this pass several times slower.
 */
async function layerDigestOf(
  file: ModelFile,
  mode: number,
  mtime: Date,
): Promise<{ digest: string; size: number; framing?: { prefix: Buffer; suffix: Buffer } }> {
  if (file.size === 0) return digestOf(tarOfFile(file, mode, mtime));
  const { prefix, suffix } = await tarFraming(file, mode, mtime);
  const hash = createHash('sha256').update(prefix);
  const handle = await open(file.source, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(READ_BUFFER_BYTES, file.size));
    let read = 0;
    for (let bytesRead = -1; bytesRead !== 0;) {
      ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      read += bytesRead;
      if (read > file.size) throw new InputError(`the model file ${file.filepath} grew while it was being packaged`);
      hash.update(buffer.subarray(0, bytesRead));
    }
    if (read !== file.size) throw new InputError(`the model file ${file.filepath} shrank while it was being packaged`);
  } finally {
    await handle.close();
  }
  hash.update(suffix);
  return { digest: `sha256:${hash.digest('hex')}`, size: prefix.length + file.size + suffix.length, framing: { prefix, suffix } };
}

/**
 * The same tar as tarOfFile, from the framing layerDigestOf computed: the header, the file as read from disk
 * (1 MiB reads), the padding and end marker; no tar packer in between. Errors if the file's size changed.
 */
function framedTarOfFile(file: ModelFile, framing: { prefix: Buffer; suffix: Buffer }): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield framing.prefix;
    let read = 0;
    for await (const chunk of createReadStream(file.source, { highWaterMark: READ_BUFFER_BYTES }) as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > file.size) throw new InputError(`the model file ${file.filepath} grew while it was being packaged`);
      yield chunk;
    }
    if (read !== file.size) throw new InputError(`the model file ${file.filepath} shrank while it was being packaged`);
    yield framing.suffix;
  }
  return Readable.from(chunks(), { objectMode: false });
}

async function digestOf(stream: Readable): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Drops keys whose value is undefined, so JSON bytes do not depend on how the caller spelled "absent". */
function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Packages the model at `modelPath` (a file or a folder) as a ModelPack artifact. Reads every file
 * once to compute the layer digests and holds none of them in memory: each layer's `content()`
 * streams it again from disk when pushed. Throws InputError for a missing or empty model, a file
 * name that cannot travel, mixed weight formats without `format`, or metadata the config schema refuses.
 */
export async function buildModelPackage(
  modelPath: string,
  meta: ModelPackageMeta,
  options: { sourceDateEpoch?: string; pushTo?: OciRepository } = {},
): Promise<ModelPackage> {
  const time = packageTime('sourceDateEpoch' in options ? options.sourceDateEpoch : process.env.SOURCE_DATE_EPOCH, meta.commitTime);
  const created = rfc3339(time);
  const files = await listModelFiles(modelPath);
  const format = meta.format || detectModelFormat(files.map((file) => file.filepath));
  if (!format)
    throw new InputError(
      `cannot tell the model's format from its files (${files.map((file) => file.filepath).join(', ')}): set \`format\` (onnx, pt, safetensors, joblib, …)`,
    );

  const layers: ModelPackageLayer[] = [];
  const early = options.pushTo ? startEarlyPush(options.pushTo) : undefined;
  try {
    for (const file of files) {
      const { kind, guessed } = layerKindOf(file.filepath);
      const mode = file.executable ? 0o755 : 0o644;
      const { digest, size, framing } = await layerDigestOf(file, mode, time);
      const content = (): Readable => (framing ? framedTarOfFile(file, framing) : tarOfFile(file, mode, time));
      const metadata = {
        name: basename(file.filepath),
        mode,
        uid: 0,
        gid: 0,
        size: file.size,
        mtime: created,
        typeflag: 48 /* '0': a regular file */,
      };
      const annotations: Record<string, string> = {
        [ANNOTATION_FILEPATH]: file.filepath,
        [ANNOTATION_FILE_METADATA]: JSON.stringify(metadata),
      };
      if (guessed) annotations[ANNOTATION_MEDIA_TYPE_UNTESTED] = 'true';
      layers.push({
        descriptor: { mediaType: modelLayerMediaType(kind, 'tar'), digest, size, annotations },
        kind,
        filepath: file.filepath,
        source: file.source,
        content,
      });
      early?.add(digest, size, content);
    }
    return describePackage(meta, format, created, layers, early);
  } catch (error) {
    // Nothing of this build keeps uploading once it has failed.
    await early?.stop();
    throw error;
  }
}

function describePackage(
  meta: ModelPackageMeta,
  format: string,
  created: string,
  layers: ModelPackageLayer[],
  early: ReturnType<typeof startEarlyPush> | undefined,
): ModelPackage {
  // Stable sort: within a kind, the byte order of the listing stays.
  layers.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));

  const configJson: ModelPackConfig = {
    descriptor: defined({
      createdAt: created,
      authors: meta.authors,
      vendor: meta.vendor,
      family: meta.family,
      name: meta.name,
      version: meta.version,
      title: meta.title,
      description: meta.description,
      docURL: meta.docUrl,
      sourceURL: meta.sourceUrl,
      datasetsURL: meta.datasetsUrls,
      revision: meta.revision,
      licenses: meta.licenses,
    }),
    config: defined({
      architecture: meta.architecture,
      format,
      paramSize: meta.paramSize,
      precision: meta.precision,
      quantization: meta.quantization,
    }),
    // Tar layers are uncompressed: a layer's DiffID is its digest.
    modelfs: { type: 'layers', diffIds: layers.map((layer) => layer.descriptor.digest) },
  };
  assertModelPackConfig(configJson, `the model config of ${meta.name}`);
  const configBytes = Buffer.from(JSON.stringify(configJson));
  const configDescriptor: Descriptor = { mediaType: MEDIA_TYPE_MODEL_CONFIG, digest: sha256Digest(configBytes), size: configBytes.length };

  for (const key of Object.keys(meta.annotations ?? {}))
    if (!key.startsWith(ANNOTATION_PREFIX) || key.length === ANNOTATION_PREFIX.length)
      throw new InputError(`the manifest annotation ${key} is not under ${ANNOTATION_PREFIX}: other namespaces belong to their owners`);
  const annotations = sortedRecord(
    defined({
      ...meta.annotations,
      'org.opencontainers.image.created': created,
      'org.opencontainers.image.title': meta.title ?? meta.name,
      'org.opencontainers.image.description': meta.description,
      'org.opencontainers.image.version': meta.version,
      'org.opencontainers.image.revision': meta.revision,
      'org.opencontainers.image.source': meta.sourceUrl,
      'org.opencontainers.image.licenses': meta.licenses?.length ? meta.licenses.join(' AND ') : undefined,
      [ANNOTATION_NAME]: meta.name,
      [ANNOTATION_FORMAT]: format,
    }) as Record<string, string>,
  );
  const manifestJson: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    artifactType: ARTIFACT_TYPE_MODEL_MANIFEST,
    config: configDescriptor,
    layers: layers.map((layer) => layer.descriptor),
    annotations,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifestJson));
  return {
    ...(early ? { early: { repository: early.repository, uploads: early.uploads } } : {}),
    manifest: { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(manifestBytes), bytes: manifestBytes },
    manifestJson,
    config: { descriptor: configDescriptor, bytes: configBytes, json: configJson },
    layers,
    created,
  };
}

/** Layers uploaded at once: enough to keep the client, the network and the registry busy together, few enough not to flood a registry. */
export const PUSH_CONCURRENCY = 4;

/**
 * Uploads of layers as the build learns their digests, up to PUSH_CONCURRENCY at once, so the registry
 * stores one file while the next is hashed. Blobs are content-addressed, so one going up before its
 * manifest exists is what every push does; the manifest still goes last (pushModelPackage). After the
 * first failure no further upload starts; pushModelPackage reports it.
 */
function startEarlyPush(repository: OciRepository): {
  repository: OciRepository;
  uploads: Map<string, Promise<{ uploaded: boolean }>>;
  add(digest: string, size: number, content: () => Readable): void;
  /** No further upload starts; resolves once those under way have stopped. */
  stop(): Promise<void>;
} {
  const uploads = new Map<string, Promise<{ uploaded: boolean }>>();
  let running = 0;
  let failed = false;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    while (running >= PUSH_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  return {
    repository,
    uploads,
    add(digest, size, content) {
      if (uploads.has(digest)) return;
      const upload = (async () => {
        await slot();
        try {
          if (failed) throw new Error('not started: an earlier upload of this push failed');
          return await repository.putBlob(digest, size, content);
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          running--;
          waiting.shift()?.();
        }
      })();
      upload.catch(() => {}); // awaited (and reported) by pushModelPackage, or dropped with the build's own error
      uploads.set(digest, upload);
    },
    async stop() {
      failed = true;
      await Promise.allSettled(uploads.values());
    },
  };
}

/**
 * Pushes a package: every layer (up to PUSH_CONCURRENCY at once), then the config, then the manifest
 * (with `tag`), so a push killed midway never leaves a manifest pointing at a missing blob. Blobs the
 * store has are not sent again. On a failed layer no further layer starts; the error is the first one.
 */
export async function pushModelPackage(
  repository: OciRepository,
  pkg: ModelPackage,
  tag?: string,
): Promise<{ uploaded: number; skipped: number }> {
  let uploaded = 0;
  const count = (result: { uploaded: boolean }): void => void (result.uploaded && uploaded++);
  const early = pkg.early?.repository === repository ? pkg.early.uploads : undefined;
  if (early) {
    // Uploads the build started: the first failure is the error, once all have stopped.
    const results = await Promise.allSettled(early.values());
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected) throw rejected.reason;
    for (const result of results) if (result.status === 'fulfilled') count(result.value);
  }
  const layers = early ? pkg.layers.filter((layer) => !early.has(layer.descriptor.digest)) : pkg.layers;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < layers.length) {
      const layer = layers[next++]!;
      try {
        count(await repository.putBlob(layer.descriptor.digest, layer.descriptor.size, () => layer.content()));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // Every worker settles (none throws), so nothing is still uploading when the error is reported.
  await Promise.all(Array.from({ length: Math.min(PUSH_CONCURRENCY, layers.length) }, () => worker()));
  if (failure) throw failure.error;
  count(await repository.putBlob(pkg.config.descriptor.digest, pkg.config.descriptor.size, () => Readable.from([pkg.config.bytes])));
  await repository.putManifest(pkg.manifest, tag);
  return { uploaded, skipped: pkg.layers.length + 1 - uploaded };
}
