// The OCI distribution spec's grammar for repository names, tags and (sha256) digests.
import { InputError } from '../errors.js';

const NAME_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const REPOSITORY_NAME = new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`);
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Throws InputError unless `name` is a valid OCI repository name (`team/iris`). */
export function assertRepositoryName(name: string): void {
  if (!REPOSITORY_NAME.test(name) || name.length > 255)
    throw new InputError(
      `'${name}' is not a valid repository name: lower-case letters and digits, separated by '.', '_', '__' or '-', in path components joined by '/' (at most 255 characters)`,
    );
}

/** Throws InputError unless `tag` is a valid OCI tag (`v3`, `production`). */
export function assertTag(tag: string): void {
  if (!TAG.test(tag))
    throw new InputError(`'${tag}' is not a valid tag: up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`);
}

/** True for `sha256:` followed by 64 lower-case hex digits. */
export function isSha256Digest(reference: string): boolean {
  return SHA256_DIGEST.test(reference);
}

/** The hex part of a sha256 digest; InputError for anything else (other algorithms are not stored). */
export function sha256Hex(digest: string): string {
  if (!isSha256Digest(digest)) throw new InputError(`'${digest}' is not a sha256 digest (sha256: and 64 lower-case hex digits)`);
  return digest.slice('sha256:'.length);
}
