// What one registered model is, read from its manifest and its referrers without pulling its files:
// the files (path and size from the layer annotations), format, time, and the lineage attached to it.
import { InputError } from '../errors.js';
import { ANNOTATION_CREATED, ANNOTATION_PREFIX, LINEAGE_KINDS, readReferrerLayer, type LineageKind } from './lineage.js';
import { ANNOTATION_FORMAT } from './model-package.js';
import { modelManifestOf } from './model-versions.js';
import { ANNOTATION_FILE_METADATA, ANNOTATION_FILEPATH, parseModelLayerMediaType } from './modelpack-media-types.js';
import type { Descriptor, ImageManifest, ManifestBytes, OciRepository } from './oci-repository.js';

export interface ModelFile {
  /** The file's path in the model (`org.cncf.model.filepath`), or the layer digest when the layer names none. */
  path: string;
  /** The file's size from its metadata annotation, else the layer's size. */
  size: number;
  /** weight, weight.config, doc, code, dataset; `other` for a layer this reader does not know. */
  kind: string;
  /** The layer digest: the same file content in the same package form gives the same digest. */
  layer: string;
}

export interface LineageRecord {
  kind: LineageKind | 'other';
  artifactType?: string;
  digest: string;
  created?: string;
  /** Metric values from the referrer's annotations (`io.github.mlops-actions.metric.<name>`). */
  metrics: Record<string, number>;
  verdict?: string;
  runUrl?: string;
  /** For alias events: the alias that moved here. */
  alias?: string;
}

export interface ModelDetails {
  digest: string;
  manifest: ImageManifest;
  created?: string;
  format?: string;
  files: ModelFile[];
  /** Lineage referrers (alias events included), by kind in LINEAGE_KINDS order, newest first within a kind. */
  lineage: LineageRecord[];
}

const KIND_OF_TYPE = new Map(Object.entries(LINEAGE_KINDS).map(([kind, type]) => [type as string, kind as LineageKind]));
const KIND_ORDER = Object.keys(LINEAGE_KINDS);
const METRIC_PREFIX = `${ANNOTATION_PREFIX}metric.`;

function fileOf(layer: Descriptor): ModelFile {
  const annotations = layer.annotations ?? {};
  let size = layer.size;
  try {
    const metadata = JSON.parse(annotations[ANNOTATION_FILE_METADATA] ?? 'null') as { size?: unknown } | null;
    if (typeof metadata?.size === 'number' && Number.isSafeInteger(metadata.size) && metadata.size >= 0) size = metadata.size;
  } catch {
    // Another tool's metadata we cannot read: the layer's size is the next best figure.
  }
  return {
    path: annotations[ANNOTATION_FILEPATH] ?? layer.digest,
    size,
    kind: parseModelLayerMediaType(layer.mediaType)?.kind ?? 'other',
    layer: layer.digest,
  };
}

/** Numbers from `<prefix><name>` annotations. */
function metricsOf(annotations: Record<string, string>): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(METRIC_PREFIX) || value.trim() === '') continue;
    const number = Number(value);
    if (Number.isFinite(number)) metrics[key.slice(METRIC_PREFIX.length)] = number;
  }
  return metrics;
}

function recordOf(descriptor: Descriptor): LineageRecord {
  const annotations = descriptor.annotations ?? {};
  const created = annotations[ANNOTATION_CREATED];
  const verdict = annotations[`${ANNOTATION_PREFIX}verdict`];
  const runUrl = annotations[`${ANNOTATION_PREFIX}run-url`];
  const alias = annotations[`${ANNOTATION_PREFIX}alias`];
  return {
    kind: KIND_OF_TYPE.get(descriptor.artifactType ?? '') ?? 'other',
    ...(descriptor.artifactType ? { artifactType: descriptor.artifactType } : {}),
    digest: descriptor.digest,
    ...(created ? { created } : {}),
    metrics: metricsOf(annotations),
    ...(verdict ? { verdict } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(alias ? { alias } : {}),
  };
}

function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? KIND_ORDER.length : index;
}

/**
 * The model `manifest` of `repository`, described: InputError when the manifest is not a ModelPack
 * model (e.g. a digest of a referrer). Reads the config only when the manifest does not say the format.
 */
export async function readModelDetails(repository: OciRepository, manifest: ManifestBytes): Promise<ModelDetails> {
  const parsed = modelManifestOf(manifest);
  if (!parsed) throw new InputError(`${manifest.digest} in ${repository.label} is not a ModelPack model manifest`);
  let format = parsed.annotations?.[ANNOTATION_FORMAT];
  if (!format && parsed.config) {
    const chunks: Buffer[] = [];
    for await (const chunk of await repository.getBlob(parsed.config.digest, parsed.config.size)) chunks.push(chunk as Buffer);
    try {
      const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { config?: { format?: unknown } };
      if (typeof config.config?.format === 'string') format = config.config.format;
    } catch {
      // A config that is not JSON leaves the format unknown; pull reports it when it matters.
    }
  }
  const lineage = (await repository.referrers(manifest.digest))
    .map(recordOf)
    .sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || (b.created ?? '').localeCompare(a.created ?? ''));
  const created = parsed.annotations?.[ANNOTATION_CREATED];
  return {
    digest: manifest.digest,
    manifest: parsed,
    ...(created ? { created } : {}),
    ...(format ? { format } : {}),
    files: parsed.layers.map(fileOf),
    lineage,
  };
}

/**
 * The model's metrics: every number (or `{value: number}` estimate) of its newest metrics referrer's
 * file, read and verified, with one level of nesting by split read as `split.name` (train's metrics
 * files), as the referrer's annotations name them; the annotations when the file is not a JSON object.
 * Empty when the model has no metrics referrer.
 */
export async function readModelMetrics(repository: OciRepository, details: ModelDetails): Promise<Record<string, number>> {
  const record = details.lineage.find((l) => l.kind === 'metrics');
  if (!record) return {};
  const { bytes } = await readReferrerLayer(repository, { mediaType: '', digest: record.digest, size: 0 }, 16 * 1024 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return record.metrics;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return record.metrics;
  const metrics: Record<string, number> = {};
  const numberOf = (value: unknown): number | undefined =>
    typeof value === 'number'
      ? value
      : typeof (value as { value?: unknown })?.value === 'number'
        ? (value as { value: number }).value
        : undefined;
  const add = (name: string, value: unknown, depth: number): void => {
    const number = numberOf(value);
    if (number !== undefined) {
      if (Number.isFinite(number)) metrics[name] = number;
    } else if (depth === 0 && value && typeof value === 'object' && !Array.isArray(value))
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) add(`${name}.${inner}`, v, 1);
  };
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) add(name, value, 0);
  return metrics;
}
