import { InputError } from '../errors.js';

/** `oci://host[:port]/namespace/name[@tag|@digest]`, split and validated. */
export interface RegistryReference {
  /** `host[:port]` as written (lowercased); IPv6 hosts keep their brackets. */
  registry: string;
  /** The repository name inside the registry: `namespace/name`. */
  repository: string;
  tag?: string;
  digest?: string;
}

// The OCI distribution spec's grammars (distribution-spec "Pulling manifests"; image-spec descriptor.md).
const REPOSITORY_NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
// Docker and most registries limit the repository name (host excluded) to 255 characters.
const MAX_REPOSITORY_LENGTH = 255;

export const REPOSITORY_NAME_RULE = 'lowercase letters and digits, separated by ".", "_", "__" or "-", in path components joined by "/"';
export const TAG_RULE = 'up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"';

export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_REPOSITORY_LENGTH && REPOSITORY_NAME.test(name);
}

export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

/** A digest we can verify: sha256 or sha512 with lowercase hex. */
export function isDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** True for hosts plain HTTP may go to: 127.0.0.1, [::1] and localhost (with any port). */
export function isLoopbackRegistry(registry: string): boolean {
  return LOOPBACK_HOSTS.has(splitHostPort(registry).host);
}

function splitHostPort(registry: string): { host: string; port?: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(registry);
  return match ? { host: match[1], port: match[2] } : { host: registry };
}

function repositoryNameHint(name: string): string {
  if (name !== name.toLowerCase()) return ' (it has uppercase letters)';
  if (name.length > MAX_REPOSITORY_LENGTH) return ` (it has ${name.length} characters, at most ${MAX_REPOSITORY_LENGTH} are allowed)`;
  return '';
}

/** Throws an InputError naming `what` (e.g. "input 'name'") unless `name` follows the OCI repository-name grammar. */
export function checkRepositoryName(name: string, what = 'repository name'): void {
  if (isRepositoryName(name)) return;
  throw new InputError(
    `${what} '${name}' is not a valid OCI repository name${repositoryNameHint(name)}: expected ${REPOSITORY_NAME_RULE}, e.g. 'team/iris-classifier'`,
  );
}

/** Throws an InputError naming `what` unless `tag` follows the OCI tag grammar. */
export function checkTag(tag: string, what = 'tag'): void {
  if (!isTag(tag)) throw new InputError(`${what} '${tag}' is not a valid OCI tag: expected ${TAG_RULE}, e.g. 'v3' or '1.2.0'`);
}

function checkRegistryHost(registry: string, value: string): void {
  const { host, port } = splitHostPort(registry);
  const hostOk = IPV6.test(host) || HOST_NAME.test(host);
  const portOk = port === undefined || (/^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535);
  if (!hostOk || !portOk) {
    throw new InputError(
      `registry '${value}' has an invalid host '${registry}': expected a host name or IP address with an optional port, e.g. 'ghcr.io' or '127.0.0.1:5000'`,
    );
  }
}

/**
 * Parses `oci://host[:port]/namespace/name[@tag|@sha256:…]`. Throws an InputError naming the value and
 * what was expected when the scheme, host, repository name, tag or digest is malformed.
 */
export function parseRegistryReference(value: string): RegistryReference {
  const expected = "expected 'oci://host[:port]/namespace/name', optionally followed by '@tag' or '@sha256:<hex>'";
  if (!value.startsWith('oci://')) throw new InputError(`registry reference '${value}' does not start with 'oci://': ${expected}`);
  const rest = value.slice('oci://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new InputError(`registry reference '${value}' has no repository after the host: ${expected}`);
  const registry = rest.slice(0, slash).toLowerCase();
  checkRegistryHost(registry, value);
  let path = rest.slice(slash + 1);
  let tag: string | undefined;
  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    const ref = path.slice(at + 1);
    path = path.slice(0, at);
    if (ref.includes(':')) {
      if (!isDigest(ref)) {
        throw new InputError(
          `registry reference '${value}' has an invalid digest '${ref}': expected 'sha256:' and 64 lowercase hex digits`,
        );
      }
      digest = ref;
    } else {
      if (!isTag(ref)) throw new InputError(`registry reference '${value}' has an invalid tag '${ref}': expected ${TAG_RULE}`);
      tag = ref;
    }
  }
  if (path === '') throw new InputError(`registry reference '${value}' has no repository after the host: ${expected}`);
  if (!isRepositoryName(path)) {
    throw new InputError(
      `registry reference '${value}' has an invalid repository name '${path}'${repositoryNameHint(path)}: expected ${REPOSITORY_NAME_RULE}`,
    );
  }
  return { registry, repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `oci://host[:port]/repository`, the inverse of parseRegistryReference without the reference part. */
export function formatRegistryRepository(reference: Pick<RegistryReference, 'registry' | 'repository'>): string {
  return `oci://${reference.registry}/${reference.repository}`;
}

/** The hex part of a sha256 digest; InputError for anything else (a layout stores sha256 blobs only). */
export function sha256Hex(digest: string): string {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest))
    throw new InputError(`'${digest}' is not a sha256 digest (sha256: and 64 lower-case hex digits)`);
  return digest.slice('sha256:'.length);
}
