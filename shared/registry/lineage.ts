// Lineage travels with the model as OCI referrers: one manifest per report, whose `subject` is the model
// manifest, with the empty config and one layer (the file as it was). Headline numbers go in the
// referrer's annotations, which registries copy into referrer listings (`oras discover` shows them).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { sha256OfFile } from '../digest.js';
import { ServiceError } from '../errors.js';
import { sha256Digest } from './blob-digest.js';
import { ANNOTATION_PREFIX } from './model-package.js';

export { ANNOTATION_PREFIX };
import {
  EMPTY_CONFIG,
  MEDIA_TYPE_MANIFEST,
  type Descriptor,
  type ImageManifest,
  type ManifestBytes,
  type OciRepository,
} from './oci-repository.js';

export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_TITLE = 'org.opencontainers.image.title';

/** The kinds of lineage a model version carries, each its own artifactType. */
export const LINEAGE_KINDS = {
  metrics: 'application/vnd.mlops-actions.metrics.v1+json',
  'run-manifest': 'application/vnd.mlops-actions.run-manifest.v1+json',
  'data-profile': 'application/vnd.mlops-actions.data-profile.v1+json',
  evaluation: 'application/vnd.mlops-actions.evaluation.v1+json',
  predictions: 'application/vnd.mlops-actions.predictions.v1',
  'alias-event': 'application/vnd.mlops-actions.alias-event.v1+json',
  // A Sigstore bundle as cosign, oras and `gh attestation` store one: artifactType and layer both the bundle's type.
  provenance: 'application/vnd.dev.sigstore.bundle.v0.3+json',
} as const;
export type LineageKind = keyof typeof LINEAGE_KINDS;

/** The subject descriptor of a model manifest. */
export function subjectOf(manifest: ManifestBytes): Descriptor {
  return { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
}

function layerMediaType(file: string): string {
  if (/\.json$/i.test(file)) return 'application/json';
  if (/\.jsonl$|\.ndjson$/i.test(file)) return 'application/x-ndjson';
  if (/\.csv$/i.test(file)) return 'text/csv';
  if (/\.tsv$/i.test(file)) return 'text/tab-separated-values';
  if (/\.parquet$/i.test(file)) return 'application/vnd.apache.parquet';
  if (/\.gz$/i.test(file)) return 'application/gzip';
  return 'application/octet-stream';
}

export interface LineageContent {
  kind: LineageKind;
  /** A file on disk (streamed), or bytes built here (an alias event). */
  file?: string;
  bytes?: Buffer;
  /** The layer's media type, when the file name does not say it (a Sigstore bundle). */
  mediaType?: string;
  /** The layer's title (the file's name when it is a file). */
  title?: string;
  /** Small values for listings: metric values, the verdict, an alias move. */
  annotations?: Record<string, string>;
}

/**
 * Pushes one lineage referrer of `subject` and records it (referrers API or tag-schema fallback).
 * Returns the referrer's descriptor. `created` is the only clock it reads: every other byte depends on
 * the content, so the same lineage pushed twice at the same time is the same manifest.
 */
export async function pushReferrer(
  repository: OciRepository,
  subject: Descriptor,
  content: LineageContent,
  created: Date,
): Promise<Descriptor> {
  const artifactType = LINEAGE_KINDS[content.kind];
  let layer: Descriptor;
  if (content.file) {
    const file = content.file;
    const size = (await stat(file)).size;
    layer = { mediaType: content.mediaType ?? layerMediaType(file), digest: `sha256:${await sha256OfFile(file)}`, size };
    await repository.putBlob(layer.digest, size, () => createReadStream(file));
  } else {
    const bytes = content.bytes ?? Buffer.from('{}');
    layer = { mediaType: content.mediaType ?? 'application/json', digest: sha256Digest(bytes), size: bytes.length };
    await repository.putBlob(layer.digest, bytes.length, () => Readable.from([bytes]));
  }
  const title = content.title ?? (content.file ? basename(content.file) : `${content.kind}.json`);
  layer.annotations = { [ANNOTATION_TITLE]: title };
  // Registries that check references want the config blob before the manifest that names it.
  await repository.putBlob(EMPTY_CONFIG.digest, EMPTY_CONFIG.size, () => Readable.from([Buffer.from('{}')]));
  const annotations = { [ANNOTATION_CREATED]: created.toISOString(), ...content.annotations };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    artifactType,
    config: EMPTY_CONFIG,
    layers: [layer],
    subject,
    annotations,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const pushed: ManifestBytes = { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(bytes), bytes };
  await repository.putManifest(pushed);
  const descriptor: Descriptor = { mediaType: MEDIA_TYPE_MANIFEST, digest: pushed.digest, size: bytes.length, artifactType, annotations };
  await repository.addReferrer(subject, descriptor);
  return descriptor;
}

/** The one layer of a lineage referrer, read whole and verified (lineage files are reports, not models). */
export async function readReferrerLayer(
  repository: OciRepository,
  referrer: Descriptor,
  limitBytes = 256 * 1024 * 1024,
): Promise<{ layer: Descriptor; bytes: Buffer }> {
  const manifest = await repository.getManifest(referrer.digest);
  if (!manifest) throw new ServiceError(repository.label, `referrer ${referrer.digest} is listed but its manifest is missing`);
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest;
  const layer = parsed.layers?.[0];
  if (!layer) throw new ServiceError(repository.label, `referrer ${referrer.digest} has no layer`);
  if (layer.size > limitBytes)
    throw new ServiceError(
      repository.label,
      `referrer ${referrer.digest}'s layer is ${layer.size} bytes, over the ${limitBytes}-byte limit`,
    );
  const chunks: Buffer[] = [];
  for await (const chunk of await repository.getBlob(layer.digest, layer.size)) chunks.push(chunk as Buffer);
  return { layer, bytes: Buffer.concat(chunks) };
}

/** Referrers of `subject` of one kind, newest first (by their created annotation). */
export async function referrersOfKind(repository: OciRepository, subject: string, kind: LineageKind): Promise<Descriptor[]> {
  const found = await repository.referrers(subject, LINEAGE_KINDS[kind]);
  const time = (d: Descriptor): string => d.annotations?.[ANNOTATION_CREATED] ?? '';
  return found.filter((d) => d.artifactType === LINEAGE_KINDS[kind]).sort((a, b) => time(b).localeCompare(time(a)));
}

/**
 * Annotations for listings from a metrics object: `io.github.mlops-actions.metric.<name>` → value.
 * Numbers and {value} estimates, one level of nesting by split read as `split.name` (train's metrics
 * files), at most 32: listings are for headlines, the layer has everything.
 */
export function metricAnnotations(metrics: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const numberOf = (value: unknown): number | undefined =>
    typeof value === 'number'
      ? value
      : value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'number'
        ? (value as { value: number }).value
        : undefined;
  const add = (name: string, value: unknown, depth: number): void => {
    if (Object.keys(out).length >= 32) return;
    const number = numberOf(value);
    if (number !== undefined) {
      if (Number.isFinite(number) && /^[A-Za-z0-9_.\-[\]=]{1,100}$/.test(name)) out[`${ANNOTATION_PREFIX}metric.${name}`] = String(number);
    } else if (depth === 0 && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) add(`${name}.${inner}`, v, 1);
    }
  };
  if (metrics && typeof metrics === 'object' && !Array.isArray(metrics))
    for (const [name, value] of Object.entries(metrics)) add(name, value, 0);
  return out;
}
