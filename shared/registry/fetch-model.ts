// A registered model made ready to run: resolved, pulled and verified into a folder, with the data
// profile registered beside it (the drift reference). What `mlops serve <ref>` and deploy start from.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ANNOTATION_TITLE, readReferrerLayer, referrersOfKind } from './lineage.js';
import type { OciRepository } from './oci-repository.js';
import { parseModelReference, type RegistryCredentials } from './open-repository.js';
import { pullModelPackage } from './pull.js';
import { InputError } from '../errors.js';

export interface FetchedModel {
  /** `<registry>/<name>@sha256:…` */
  reference: string;
  digest: string;
  /** The version tag the reference named, else a `v<N>` tag pointing at the same digest, else the short digest. */
  version: string;
  modelDir: string;
  /** The registered data profile's JSON text, when the model has one. */
  profileText?: string;
  /** The registered held-out predictions (the reference of prediction drift), written beside the model folder. */
  predictionsPath?: string;
}

/**
 * Pulls `reference` into `cacheDir/<digest hex>` (kept: a digest names its content, so a second fetch of the
 * same model reuses the folder after checking it is complete) and reads its newest data profile.
 */
export async function fetchModel(
  reference: string,
  cwd: string,
  cacheDir: string,
  credentials: RegistryCredentials = {},
): Promise<FetchedModel> {
  const { repository, reference: ref, where } = parseModelReference(reference, cwd, credentials);
  const manifest = await repository.getManifest(ref);
  if (!manifest) throw new InputError(`model reference '${reference}': ${ref} does not exist in ${repository.label}`);
  const digest = manifest.digest;
  const modelDir = join(cacheDir, digest.replace(':', '-'));
  const done = join(cacheDir, `${digest.replace(':', '-')}.complete`);
  if (!(await stat(done).catch(() => null))) {
    await mkdir(cacheDir, { recursive: true });
    await rm(modelDir, { recursive: true, force: true });
    await pullModelPackage(repository, manifest, modelDir);
    await mkdir(done, { recursive: true });
  }
  let version = ref.startsWith('sha256:') ? digest.slice(7, 19) : ref;
  if (!/^v[0-9]+$/.test(version)) {
    for (const tag of (await repository.listTags()).filter((t) => /^v[0-9]+$/.test(t))) {
      if ((await repository.getManifest(tag))?.digest === digest) version = tag;
    }
  }
  const [profile] = await referrersOfKind(repository, digest, 'data-profile');
  const profileText = profile ? (await readReferrerLayer(repository, profile)).bytes.toString('utf8') : undefined;
  const predictionsPath = await writeRegisteredPredictions(repository, digest, modelDir);
  return {
    reference: `${where}@${digest}`,
    digest,
    version,
    modelDir,
    ...(profileText ? { profileText } : {}),
    ...(predictionsPath ? { predictionsPath } : {}),
  };
}

/**
 * Writes the newest held-out predictions registered with `digest` (register's `predictions`) to
 * `<base>.predictions.<ext>` and returns that path; undefined when the model has none.
 */
export async function writeRegisteredPredictions(repository: OciRepository, digest: string, base: string): Promise<string | undefined> {
  const [predictions] = await referrersOfKind(repository, digest, 'predictions');
  if (!predictions) return undefined;
  const { layer, bytes } = await readReferrerLayer(repository, predictions);
  // Only the title's extension is kept (it tells the format): the name itself comes from the registry.
  const extension =
    /(\.(csv|tsv|jsonl|ndjson|parquet)(\.gz)?)$/i.exec(basename(layer.annotations?.[ANNOTATION_TITLE] ?? ''))?.[1] ?? '.csv';
  const path = `${base}.predictions${extension.toLowerCase()}`;
  await writeFile(path, bytes);
  return path;
}
