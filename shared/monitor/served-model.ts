// The registry references monitor-gate is given, resolved to what the serving runtime labels its
// series with (the served name and the version deploy gave it) and to the manifest an alias moves to.
import { basename } from 'node:path';
import type { ProfileJSON } from '../data/profile.js';
import { versionOf } from '../deploy/deploy.js';
import { servedModelName } from '../deploy/deploy-target.js';
import { InputError } from '../errors.js';
import { readReferrerLayer, referrersOfKind } from '../registry/lineage.js';
import { ANNOTATION_NAME } from '../registry/model-package.js';
import type { ManifestBytes, OciRepository } from '../registry/oci-repository.js';
import { parseModelReference } from '../registry/open-repository.js';

export interface ServedModel {
  /** As given. */
  given: string;
  /** `<registry>/<name>` as given, without the reference. */
  where: string;
  repository: OciRepository;
  manifest: ManifestBytes;
  /** The registered name (team/penguins) and the name it is served as (penguins). */
  name: string;
  served: string;
  version: string;
  /** The registered data profile (the drift reference), when there is one. */
  profile?: ProfileJSON;
}

/** Resolves `value` (an input named `input`) in its registry; `withProfile` also reads its registered data profile. */
export async function resolveServedModel(
  value: string,
  input: string,
  cwd: string,
  options: { username?: string; password?: string; githubToken?: string; log: (line: string) => void; withProfile?: boolean },
): Promise<ServedModel> {
  let parsed: ReturnType<typeof parseModelReference>;
  try {
    const { withProfile: _, ...credentials } = options;
    parsed = parseModelReference(value, cwd, credentials);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`input '${input}': ${error.message}`);
    throw error;
  }
  const { repository, reference, where } = parsed;
  const manifest = await repository.getManifest(reference);
  if (!manifest) throw new InputError(`input '${input}': ${reference} does not exist in ${repository.label}`);
  const annotations = (JSON.parse(manifest.bytes.toString('utf8')) as { annotations?: Record<string, string> }).annotations ?? {};
  const name = annotations[ANNOTATION_NAME] ?? basename(where);
  const version = await versionOf(repository, reference, manifest.digest);
  let profile: ProfileJSON | undefined;
  if (options.withProfile) {
    const [newest] = await referrersOfKind(repository, manifest.digest, 'data-profile');
    if (newest) {
      const { bytes } = await readReferrerLayer(repository, newest);
      const { parseProfile } = await import('../data/profile.js');
      profile = parseProfile(bytes.toString('utf8'), `${value} (registered data profile)`);
    }
  }
  return { given: value, where, repository, manifest, name, served: servedModelName(name), version, ...(profile ? { profile } : {}) };
}
