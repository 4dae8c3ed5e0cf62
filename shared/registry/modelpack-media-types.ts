// The CNCF ModelPack media types and annotation keys, exactly as modelpack/model-spec defines them
// (specs-go/v1/mediatype.go and annotations.go, v0.0.7). Versions before v0.0.7 used the `cnai` prefix:
// readers accept both (see `normaliseModelPackMediaType`), writers use only `cncf`.

export const ARTIFACT_TYPE_MODEL_MANIFEST = 'application/vnd.cncf.model.manifest.v1+json';
export const MEDIA_TYPE_MODEL_CONFIG = 'application/vnd.cncf.model.config.v1+json';

export const MEDIA_TYPE_MODEL_WEIGHT_RAW = 'application/vnd.cncf.model.weight.v1.raw';
export const MEDIA_TYPE_MODEL_WEIGHT = 'application/vnd.cncf.model.weight.v1.tar';
export const MEDIA_TYPE_MODEL_WEIGHT_GZIP = 'application/vnd.cncf.model.weight.v1.tar+gzip';
export const MEDIA_TYPE_MODEL_WEIGHT_ZSTD = 'application/vnd.cncf.model.weight.v1.tar+zstd';

export const MEDIA_TYPE_MODEL_WEIGHT_CONFIG_RAW = 'application/vnd.cncf.model.weight.config.v1.raw';
export const MEDIA_TYPE_MODEL_WEIGHT_CONFIG = 'application/vnd.cncf.model.weight.config.v1.tar';
export const MEDIA_TYPE_MODEL_WEIGHT_CONFIG_GZIP = 'application/vnd.cncf.model.weight.config.v1.tar+gzip';
export const MEDIA_TYPE_MODEL_WEIGHT_CONFIG_ZSTD = 'application/vnd.cncf.model.weight.config.v1.tar+zstd';

export const MEDIA_TYPE_MODEL_DOC_RAW = 'application/vnd.cncf.model.doc.v1.raw';
export const MEDIA_TYPE_MODEL_DOC = 'application/vnd.cncf.model.doc.v1.tar';
export const MEDIA_TYPE_MODEL_DOC_GZIP = 'application/vnd.cncf.model.doc.v1.tar+gzip';
export const MEDIA_TYPE_MODEL_DOC_ZSTD = 'application/vnd.cncf.model.doc.v1.tar+zstd';

export const MEDIA_TYPE_MODEL_CODE_RAW = 'application/vnd.cncf.model.code.v1.raw';
export const MEDIA_TYPE_MODEL_CODE = 'application/vnd.cncf.model.code.v1.tar';
export const MEDIA_TYPE_MODEL_CODE_GZIP = 'application/vnd.cncf.model.code.v1.tar+gzip';
export const MEDIA_TYPE_MODEL_CODE_ZSTD = 'application/vnd.cncf.model.code.v1.tar+zstd';

export const MEDIA_TYPE_MODEL_DATASET_RAW = 'application/vnd.cncf.model.dataset.v1.raw';
export const MEDIA_TYPE_MODEL_DATASET = 'application/vnd.cncf.model.dataset.v1.tar';
export const MEDIA_TYPE_MODEL_DATASET_GZIP = 'application/vnd.cncf.model.dataset.v1.tar+gzip';
export const MEDIA_TYPE_MODEL_DATASET_ZSTD = 'application/vnd.cncf.model.dataset.v1.tar+zstd';

/** Layer annotation: the path of the file (or folder) in the model. */
export const ANNOTATION_FILEPATH = 'org.cncf.model.filepath';
/** Layer annotation: JSON of {name, mode, uid, gid, size, mtime, typeflag}. */
export const ANNOTATION_FILE_METADATA = 'org.cncf.model.file.metadata+json';
/** Layer annotation: "true" when the layer's kind was guessed rather than known. */
export const ANNOTATION_MEDIA_TYPE_UNTESTED = 'org.cncf.model.file.mediatype.untested';

export type LayerKind = 'weight' | 'weight.config' | 'doc' | 'code' | 'dataset';
export type LayerFormat = 'raw' | 'tar' | 'tar+gzip' | 'tar+zstd';

const KINDS: readonly LayerKind[] = ['weight', 'weight.config', 'doc', 'code', 'dataset'];
const FORMATS: readonly LayerFormat[] = ['raw', 'tar', 'tar+gzip', 'tar+zstd'];

/** The media type of a layer of `kind` in `format`, e.g. `application/vnd.cncf.model.weight.v1.tar`. */
export function modelLayerMediaType(kind: LayerKind, format: LayerFormat): string {
  return `application/vnd.cncf.model.${kind}.v1.${format}`;
}

/** Maps the pre-v0.0.7 `cnai` spelling to `cncf`; other media types come back unchanged. */
export function normaliseModelPackMediaType(mediaType: string): string {
  return mediaType.replace(/^application\/vnd\.cnai\.model\./, 'application/vnd.cncf.model.');
}

/** Kind and format of a ModelPack layer media type (either prefix), or null for any other media type. */
export function parseModelLayerMediaType(mediaType: string): { kind: LayerKind; format: LayerFormat } | null {
  const match = /^application\/vnd\.cncf\.model\.(.+)\.v1\.(.+)$/.exec(normaliseModelPackMediaType(mediaType));
  if (!match) return null;
  const kind = KINDS.find((k) => k === match[1]);
  const format = FORMATS.find((f) => f === match[2]);
  return kind && format ? { kind, format } : null;
}

/** True for the ModelPack manifest artifact type, in either spelling. */
export function isModelPackArtifactType(artifactType: string | undefined): boolean {
  return artifactType !== undefined && normaliseModelPackMediaType(artifactType) === ARTIFACT_TYPE_MODEL_MANIFEST;
}
