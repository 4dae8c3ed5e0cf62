// What an argument of `mlops registry` names: a repository (`<registry>/<name>`, or a bare name in
// --registry) or one model in it (`…@<alias|version|digest>`). Bare names are a CLI convenience only:
// everywhere else a model reference names its registry (open-repository.ts).
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { DistributionRepository } from '../registry/distribution-client.js';
import { ImageLayoutRepository } from '../registry/image-layout.js';
import { layoutNames } from '../registry/model-versions.js';
import type { ManifestBytes, OciRepository } from '../registry/oci-repository.js';
import {
  openRepository,
  parseModelReference,
  registryLocation,
  type RegistryCredentials,
  type RegistryLocation,
} from '../registry/open-repository.js';
import { isDigest, isRepositoryName, isTag } from '../registry/registry-reference.js';
import { nearestName } from '../nearest-name.js';

export const DEFAULT_REGISTRY = '.mlops/registry';
const REFERENCE_FORMS =
  "expected '<registry>/<name>@<alias|version|sha256:…>' (e.g. '.mlops/registry/penguins@v3', 'oci://ghcr.io/acme/penguins@production') or '<name>@<alias|version|digest>' in --registry";

export interface RegistryContext {
  /** --registry, or the default. */
  registry: string;
  cwd: string;
  credentials: RegistryCredentials;
}

function didYouMean(name: string, known: Iterable<string>): string {
  const nearest = nearestName(name, known);
  return nearest ? `; did you mean ${nearest}?` : '';
}

/** The layout of `name` in a layout folder, labelled as the user wrote the folder (not as an absolute path). */
export function layoutRepository(location: RegistryLocation, name: string): ImageLayoutRepository {
  return new ImageLayoutRepository(join(location.dir!, ...name.split('/')), `${location.text}/${name}`);
}

/** The repository `value` names: `oci://host/ns/name`, a layout folder, or a name in --registry. InputError when there is none. */
export async function resolveRepository(value: string, context: RegistryContext): Promise<OciRepository> {
  const where = value.replace(/\/+$/, '');
  if (where.includes('@'))
    throw new InputError(`'${value}' is a model reference; this command takes a model name (<registry>/<name>, or a name in --registry)`);
  if (where.startsWith('oci://')) return new DistributionRepository(where, context.credentials);
  const dir = resolve(context.cwd, where);
  if (existsSync(join(dir, 'oci-layout'))) return new ImageLayoutRepository(dir, where);
  if (isRepositoryName(where)) {
    const location = registryLocation(context.registry, context.cwd);
    if (location.kind === 'distribution') return openRepository(location, where, context.credentials);
    if (!existsSync(join(location.dir!, ...where.split('/'), 'oci-layout')))
      throw new InputError(
        `no model named '${where}' in ${location.text}${didYouMean(where, await layoutNames(location.dir!))} (mlops registry list --registry ${location.text} shows the names)`,
      );
    return layoutRepository(location, where);
  }
  // A path to a layout that is not there: name the registry folder it would be in, and the nearest model.
  const parent = dirname(dir);
  const hint = existsSync(parent) ? didYouMean(basename(dir), await layoutNames(parent)) : '';
  throw new InputError(
    `'${where}' is neither a model name in ${context.registry} nor an OCI image layout folder (no oci-layout in ${where})${hint}`,
  );
}

export interface ResolvedModel {
  repository: OciRepository;
  /** The alias, version or digest after `@`. */
  reference: string;
  manifest: ManifestBytes;
  /** As the user wrote it, for messages. */
  text: string;
}

/** The model `value` names; InputError for a malformed reference, a registry or name that is not there, or a tag it lacks. */
export async function resolveModel(value: string, context: RegistryContext): Promise<ResolvedModel> {
  const at = value.lastIndexOf('@');
  if (at <= 0) throw new InputError(`model reference '${value}' has no '@<alias|version|digest>': ${REFERENCE_FORMS}`);
  const ref = value.slice(at + 1);
  if (!isTag(ref) && !isDigest(ref))
    throw new InputError(`model reference '${value}': '${ref}' is neither a tag nor a sha256 digest: ${REFERENCE_FORMS}`);
  const { repository, reference } = value.startsWith('oci://')
    ? parseModelReference(value, context.cwd, context.credentials)
    : { repository: await resolveRepository(value.slice(0, at), context), reference: ref };
  const manifest = await repository.getManifest(reference);
  if (!manifest) {
    if (isDigest(reference)) throw new InputError(`model ${reference} is not in ${repository.label}`);
    const tags = await repository.listTags();
    throw new InputError(
      `${repository.label} has no version or alias '${reference}'${didYouMean(reference, tags)} (mlops registry list shows them)`,
    );
  }
  return { repository, reference, manifest, text: value };
}
