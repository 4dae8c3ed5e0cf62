// A registered model made ready to run: resolved, pulled and verified into a folder, with the data
// profile registered beside it (the drift reference). What `mlops serve <ref>` and deploy start from.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readReferrerLayer, referrersOfKind } from './lineage.js';
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
  return { reference: `${where}@${digest}`, digest, version, modelDir, ...(profileText ? { profileText } : {}) };
}
