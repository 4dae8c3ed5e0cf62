import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import {
  checkRepositoryName,
  checkTag,
  isLoopbackRegistry,
  isRepositoryName,
  isTag,
  parseRegistryReference,
} from '../../../shared/registry/registry-reference.js';
import { referrersTag, retryAfterMs } from '../../../shared/registry/distribution-client.js';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

function inputError(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseRegistryReference', () => {
  it('splits host, port, repository and a tag or digest', () => {
    expect(parseRegistryReference('oci://127.0.0.1:5000/team/iris')).toEqual({ registry: '127.0.0.1:5000', repository: 'team/iris' });
    expect(parseRegistryReference('oci://ghcr.io/acme/models/iris@production')).toEqual({
      registry: 'ghcr.io',
      repository: 'acme/models/iris',
      tag: 'production',
    });
    expect(parseRegistryReference(`oci://[::1]:5000/iris@${DIGEST}`)).toEqual({
      registry: '[::1]:5000',
      repository: 'iris',
      digest: DIGEST,
    });
    expect(parseRegistryReference('oci://Registry.Example.com/a__b/c.d-e--f@v1.2.0-rc_1')).toEqual({
      registry: 'registry.example.com',
      repository: 'a__b/c.d-e--f',
      tag: 'v1.2.0-rc_1',
    });
  });

  it.each([
    ['127.0.0.1:5000/team/iris', "does not start with 'oci://'"],
    ['oci://127.0.0.1:5000', 'has no repository after the host'],
    ['oci://127.0.0.1:5000/', 'has no repository after the host'],
    ['oci://127.0.0.1:99999/iris', "invalid host '127.0.0.1:99999'"],
    ['oci://bad_host/iris', "invalid host 'bad_host'"],
    ['oci://h/Team/Iris', "invalid repository name 'Team/Iris' (it has uppercase letters)"],
    ['oci://h/team//iris', "invalid repository name 'team//iris'"],
    ['oci://h/team/iris-', "invalid repository name 'team/iris-'"],
    ['oci://h/team/a___b', "invalid repository name 'team/a___b'"],
    ['oci://h/iris@.hidden', "invalid tag '.hidden'"],
    [`oci://h/iris@${'t'.repeat(129)}`, 'invalid tag'],
    ['oci://h/iris@sha256:abc', "invalid digest 'sha256:abc'"],
    [`oci://h/iris@sha256:${'A1'.repeat(32)}`, 'invalid digest'],
  ])('refuses %s, saying what was wrong', (value, problem) => {
    const error = inputError(() => parseRegistryReference(value));
    expect(error.message).toContain(`'${value}'`);
    expect(error.message).toContain(problem);
    expect(error.message).toMatch(/expected/);
  });
});

describe('repository names and tags', () => {
  it('follows the OCI grammars', () => {
    expect(['iris', 'team/iris', 'a.b/c_d/e__f/g-h/i---j', 'x'.repeat(255)].every(isRepositoryName)).toBe(true);
    expect(['', 'Iris', '/iris', 'iris/', 'a..b', 'a._b', '_a', 'x'.repeat(256)].some(isRepositoryName)).toBe(false);
    expect(['v1', '1.2.0', 'latest', '_x', 'A-b.c_D', 't'.repeat(128)].every(isTag)).toBe(true);
    expect(['', '.x', '-x', 'a:b', 'a/b', 't'.repeat(129)].some(isTag)).toBe(false);
  });

  it('names the input in the error', () => {
    expect(inputError(() => checkRepositoryName('My Model', "input 'name'")).message).toBe(
      `input 'name' 'My Model' is not a valid OCI repository name (it has uppercase letters): expected lowercase letters and digits, separated by ".", "_", "__" or "-", in path components joined by "/", e.g. 'team/iris-classifier'`,
    );
    expect(inputError(() => checkTag('-x', "input 'version'")).message).toContain(`input 'version' '-x' is not a valid OCI tag`);
  });

  it('allows plain HTTP only to loopback hosts', () => {
    expect(['127.0.0.1:5000', 'localhost', 'localhost:80', '[::1]:5000'].every(isLoopbackRegistry)).toBe(true);
    expect(['ghcr.io', '127.0.0.2:5000', 'localhost.example.com', '[::2]'].some(isLoopbackRegistry)).toBe(false);
  });
});

describe('small registry rules', () => {
  it('names the tag-schema referrers tag after the subject digest', () => {
    expect(referrersTag(DIGEST)).toBe(`sha256-${'a1'.repeat(32)}`);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(inTenSeconds)).toBeGreaterThan(8_000);
  });
});
