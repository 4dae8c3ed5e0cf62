// One way to name where models live, for register, the CLI and every stage that resolves a model:
// a folder of OCI image layouts (one per repository name) or `oci://host[:port]/namespace`.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { DistributionRepository } from './distribution-client.js';
import { ImageLayoutRepository } from './image-layout.js';
import type { OciRepository } from './oci-repository.js';
import { checkRepositoryName, isDigest, isTag, parseRegistryReference } from './registry-reference.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  githubToken?: string;
  log?: (line: string) => void;
}

/** Where a registry lives, as the user wrote it: a layout folder (relative to `cwd`) or an oci:// URL. */
export interface RegistryLocation {
  kind: 'layout' | 'distribution';
  /** As written (for references and messages): `.mlops/registry` or `oci://127.0.0.1:5000/team`. */
  text: string;
  /** The layout folder, resolved (layouts only). */
  dir?: string;
}

export function registryLocation(registry: string, cwd: string): RegistryLocation {
  const text = registry.replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (!text.startsWith('oci://'))
      throw new InputError(
        `registry '${registry}' is not a layout folder nor an oci:// URL: expected e.g. '.mlops/registry' or 'oci://ghcr.io/owner'`,
      );
    return { kind: 'distribution', text };
  }
  return { kind: 'layout', text, dir: isAbsolute(text) ? text : resolve(cwd, text) };
}

/** The repository `name` in `registry`; InputError for a name the OCI grammar refuses. */
export function openRepository(location: RegistryLocation, name: string, credentials: RegistryCredentials = {}): OciRepository {
  checkRepositoryName(name, 'model name');
  if (location.kind === 'layout') return ImageLayoutRepository.open(location.dir!, name);
  // The URL names a host and an optional namespace; the client checks the whole repository name.
  return new DistributionRepository(`${location.text}/${name}`, credentials);
}

/** A model reference: `<registry>/<name>@<alias|version|digest>`, split into where and what. */
export interface ModelReference {
  repository: OciRepository;
  /** The alias, version tag or digest after `@`. */
  reference: string;
  /** The text before `@`: `<registry>/<name>`. */
  where: string;
}

/** True when `value` reads as a model reference rather than a file: it has `@<tag or digest>` and names oci:// or an existing layout. */
export function looksLikeModelReference(value: string, cwd: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const where = value.slice(0, at);
  const ref = value.slice(at + 1);
  if (!isTag(ref) && !isDigest(ref)) return false;
  if (where.startsWith('oci://')) return true;
  return existsSync(join(resolve(cwd, where), 'oci-layout'));
}

/**
 * Parses `<registry>/<name>@<alias|version|digest>`: `oci://host[:port]/ns/name@production`, or a
 * layout folder `.mlops/registry/penguins@v3` (the folder of that name's layout). InputError naming the
 * value when it is neither.
 */
export function parseModelReference(value: string, cwd: string, credentials: RegistryCredentials = {}): ModelReference {
  const at = value.lastIndexOf('@');
  const expected =
    "expected '<registry>/<name>@<alias|version|sha256:…>', e.g. 'oci://ghcr.io/acme/penguins@production' or '.mlops/registry/penguins@v3'";
  if (at <= 0) throw new InputError(`model reference '${value}' has no '@<alias|version|digest>': ${expected}`);
  const where = value.slice(0, at).replace(/\/+$/, '');
  const reference = value.slice(at + 1);
  if (!isTag(reference) && !isDigest(reference))
    throw new InputError(`model reference '${value}': '${reference}' is neither a tag nor a digest: ${expected}`);
  if (where.startsWith('oci://')) {
    const parsed = parseRegistryReference(value);
    return { repository: new DistributionRepository(parsed, credentials), reference: parsed.digest ?? parsed.tag ?? reference, where };
  }
  const dir = resolve(cwd, where);
  if (!existsSync(join(dir, 'oci-layout')))
    throw new InputError(`model reference '${value}': ${where} is not an OCI image layout (no oci-layout file there): ${expected}`);
  return { repository: new ImageLayoutRepository(dir, where), reference, where };
}
