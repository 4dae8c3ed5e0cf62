// What a repository holds, told apart: versions (immutable tags), aliases (movable tags with a history)
// and the tags a registry without the referrers API keeps for itself. OCI tags carry no kind, so a tag
// is an alias when an alias-event referrer names it, and a version otherwise (`v<N>` always is one).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ANNOTATION_PREFIX, ANNOTATION_CREATED, referrersOfKind } from './lineage.js';
import { isModelPackArtifactType, MEDIA_TYPE_MODEL_CONFIG, normaliseModelPackMediaType } from './modelpack-media-types.js';
import type { ImageManifest, ManifestBytes, OciRepository } from './oci-repository.js';
import { isRepositoryName } from './registry-reference.js';

/** `v<N>`, the versions `version: auto` gives; never an alias (register refuses such aliases). */
export const AUTO_VERSION_TAG = /^v[1-9][0-9]{0,8}$/;
/** The tag-schema referrers index (`sha256-<hex>`): the registry's bookkeeping, not a model. */
const REFERRERS_TAG = /^sha(256|512)-[a-f0-9]{64,128}$/;

export interface ModelVersion {
  /** The version tag; undefined for a model only aliases point at. */
  version?: string;
  digest: string;
  /** The package time (`org.opencontainers.image.created`), when the manifest has it. */
  created?: string;
  /** Aliases pointing at this model, sorted. */
  aliases: string[];
}

export interface ModelTags {
  /** One entry per model a tag points at: `v<N>` in number order, then other versions by time, then untagged ones. */
  versions: ModelVersion[];
  /** Alias → the digest it points at. */
  aliases: Map<string, string>;
  /** Tags pointing at something that is not a ModelPack model (left out of `versions`). */
  other: string[];
}

/** The manifest parsed, when it is a ModelPack model; undefined otherwise (a referrer, an index, another artifact). */
export function modelManifestOf(manifest: ManifestBytes): ImageManifest | undefined {
  let parsed: ImageManifest;
  try {
    parsed = JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest;
  } catch {
    return undefined;
  }
  const isModel =
    isModelPackArtifactType(parsed?.artifactType) ||
    normaliseModelPackMediaType(parsed?.config?.mediaType ?? '') === MEDIA_TYPE_MODEL_CONFIG;
  return isModel && Array.isArray(parsed.layers) ? parsed : undefined;
}

function compareVersions(a: ModelVersion, b: ModelVersion): number {
  const rank = (v: ModelVersion): number => (v.version === undefined ? 2 : AUTO_VERSION_TAG.test(v.version) ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (rank(a) === 0) return Number(a.version!.slice(1)) - Number(b.version!.slice(1));
  return (a.created ?? '').localeCompare(b.created ?? '') || (a.version ?? a.digest).localeCompare(b.version ?? b.digest);
}

/**
 * Every tag of `repository`, sorted into versions and aliases. Reads each tag's manifest and the
 * alias events of each model a tag points at (one referrers call per model).
 */
export async function readModelTags(repository: OciRepository): Promise<ModelTags> {
  const tags = (await repository.listTags()).filter((tag) => !REFERRERS_TAG.test(tag));
  const targets = new Map<string, { manifest: ImageManifest; tags: string[] }>();
  const other: string[] = [];
  for (const tag of tags) {
    const manifest = await repository.getManifest(tag);
    const parsed = manifest && modelManifestOf(manifest);
    if (!manifest || !parsed) {
      other.push(tag);
      continue;
    }
    const target = targets.get(manifest.digest) ?? { manifest: parsed, tags: [] };
    target.tags.push(tag);
    targets.set(manifest.digest, target);
  }
  const aliasNames = new Set<string>();
  for (const digest of targets.keys())
    for (const event of await referrersOfKind(repository, digest, 'alias-event')) {
      const alias = event.annotations?.[`${ANNOTATION_PREFIX}alias`];
      if (alias) aliasNames.add(alias);
    }
  const isAlias = (tag: string): boolean => aliasNames.has(tag) && !AUTO_VERSION_TAG.test(tag);

  const versions: ModelVersion[] = [];
  const aliases = new Map<string, string>();
  for (const [digest, { manifest, tags: pointing }] of targets) {
    const created = manifest.annotations?.[ANNOTATION_CREATED];
    const modelAliases = pointing.filter(isAlias).sort();
    for (const alias of modelAliases) aliases.set(alias, digest);
    const versionTags = pointing.filter((tag) => !isAlias(tag));
    if (versionTags.length === 0) versions.push({ digest, ...(created ? { created } : {}), aliases: modelAliases });
    for (const version of versionTags) versions.push({ version, digest, ...(created ? { created } : {}), aliases: modelAliases });
  }
  return { versions: versions.sort(compareVersions), aliases, other: other.sort() };
}

/** The version tags of the model `digest` (`v<N>` first), from a reading of the repository's tags. */
export function versionsOf(tags: ModelTags, digest: string): string[] {
  return tags.versions.filter((v) => v.digest === digest && v.version !== undefined).map((v) => v.version!);
}

/**
 * The repository names in a folder of image layouts (`.mlops/registry`): every folder below it that
 * holds an `oci-layout` file, as a `/`-joined name. Empty when the folder does not exist.
 */
export async function layoutNames(registryDir: string): Promise<string[]> {
  const names: string[] = [];
  const walk = async (dir: string, prefix: string[], depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (prefix.length > 0 && entries.some((e) => e.name === 'oci-layout' && e.isFile())) names.push(prefix.join('/'));
    if (depth === 0) return;
    for (const entry of entries) {
      // A layout's own folders (blobs, .partial) never hold other layouts.
      if (!entry.isDirectory() || entry.name === 'blobs' || entry.name.startsWith('.')) continue;
      await walk(join(dir, entry.name), [...prefix, entry.name], depth - 1);
    }
  };
  if ((await stat(registryDir).catch(() => null))?.isDirectory()) await walk(registryDir, [], 8);
  return names.filter((name) => isRepositoryName(name)).sort();
}
