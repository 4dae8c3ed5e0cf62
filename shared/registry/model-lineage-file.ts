// The one resolver's use by other stages: `<registry>/<name>@<alias|version|digest>` → a file of the
// model's lineage (its held-out predictions, else its metrics), downloaded and verified.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InputError } from '../errors.js';
import { ANNOTATION_TITLE, readReferrerLayer, referrersOfKind, type LineageKind } from './lineage.js';
import { looksLikeModelReference, parseModelReference, type RegistryCredentials } from './open-repository.js';

export { looksLikeModelReference };

export interface ResolvedLineageFile {
  /** The downloaded file (its name keeps the original's, so its format is known). */
  path: string;
  kind: LineageKind;
  /** The model manifest's digest the reference resolved to. */
  digest: string;
}

/**
 * Resolves `reference` and downloads the newest lineage file of the first kind in `kinds` that the
 * model has. InputError when the model does not exist or has none of them (naming what was looked for).
 */
export async function fetchLineageFile(
  reference: string,
  cwd: string,
  kinds: LineageKind[],
  credentials: RegistryCredentials = {},
): Promise<ResolvedLineageFile> {
  const { repository, reference: ref } = parseModelReference(reference, cwd, credentials);
  const manifest = await repository.getManifest(ref);
  if (!manifest) throw new InputError(`model reference '${reference}': ${ref} does not exist in ${repository.label}`);
  for (const kind of kinds) {
    const [newest] = await referrersOfKind(repository, manifest.digest, kind);
    if (!newest) continue;
    const { layer, bytes } = await readReferrerLayer(repository, newest);
    // The title comes from the registry: only its base name, and only safe characters, names the local file.
    const title = basename(layer.annotations?.[ANNOTATION_TITLE] ?? `${kind}.json`).replace(/[^A-Za-z0-9._-]/g, '_') || `${kind}.json`;
    const dir = await mkdtemp(join(tmpdir(), 'mlops-lineage-'));
    const path = join(dir, title.startsWith('.') ? `_${title}` : title);
    await writeFile(path, bytes);
    return { path, kind, digest: manifest.digest };
  }
  throw new InputError(
    `model reference '${reference}' (${manifest.digest}) has no ${kinds.join(' or ')} attached: register it with ${kinds.map((k) => `\`${k === 'predictions' ? 'predictions' : k === 'metrics' ? 'metrics-file' : k}\``).join(' or ')}`,
  );
}
